import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One blocking HTTP POST with a deadline, for the embedders. It runs URLSession's request
/// and waits on a semaphore, so it must not be called on Swift's cooperative pool.
package struct HTTPPost: Sendable {
    /// What came back.
    package struct Response: Sendable {
        package var status: Int
        package var body: [UInt8]
        /// `Retry-After` in seconds, when the server sent one.
        var retryAfterSeconds: Double?
    }

    package enum Failure: Error, Sendable {
        case timedOut
        case transport(String)
    }

    let session: URLSession

    package init(timeoutSeconds: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
    }

    package func send(url: URL, headers: [String: String], body: [UInt8], timeoutSeconds: Double) throws(Failure) -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                let nsError = error as NSError
                if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut {
                    outcome.set(.failure(.timedOut))
                } else {
                    outcome.set(.failure(.transport(error.localizedDescription)))
                }
            } else if let http = response as? HTTPURLResponse {
                let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
                outcome.set(.success(Response(status: http.statusCode, body: data.map { Array($0) } ?? [], retryAfterSeconds: retryAfter)))
            } else {
                outcome.set(.failure(.transport("no HTTP response")))
            }
            done.signal()
        }
        task.resume()
        // URLSession enforces the timeout; the extra second only guards against a lost callback.
        if done.wait(timeout: .now() + timeoutSeconds + 1) == .timedOut {
            task.cancel()
            throw .timedOut
        }
        switch outcome.take() {
        case .success(let response): return response
        case .failure(let failure): throw failure
        case nil: throw .transport("no result")
        }
    }

    /// The callback's result, handed from URLSession's queue to the waiting thread.
    private final class Outcome: Sendable {
        private let value = Mutex<Result<Response, Failure>?>(nil)
        func set(_ result: Result<Response, Failure>) { value.withLock { $0 = result } }
        func take() -> Result<Response, Failure>? { value.withLock { $0 } }
    }
}
