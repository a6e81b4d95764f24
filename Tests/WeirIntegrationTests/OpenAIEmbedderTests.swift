import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing
import WeirVector

/// The OpenAI-compatible embedder against a local HTTP server that speaks `/v1/embeddings`:
/// batching, retries with backoff, timeouts, refusals, and the API key kept out of logs.
@Suite("OpenAI-compatible embedder over HTTP", .serialized)
struct OpenAIEmbedderTests {
    static let secret = "sk-test-3f9c1d0e-secret"

    /// Runs a blocking call on its own thread: the embedder blocks, and the in-process server's
    /// handlers need Swift's (2-thread) cooperative pool free.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    static func failure(_ embedder: OpenAIEmbedder) async -> VectorError? {
        await offPool {
            do throws(VectorError) {
                _ = try embedder.embed(["a"])
                return nil
            } catch {
                return error
            }
        }
    }

    /// What the fake service saw, and how it should answer.
    final class Script: Sendable {
        let state = Mutex<(requests: Int, batchSizes: [Int], authorizations: [String], failFirst: Int, status: UInt16, delaySeconds: Double)>(
            (0, [], [], 0, 503, 0))
        /// Requests whose handler has returned.
        let answered = Mutex(0)

        /// Waits until every request received has been answered, so the server is never
        /// cancelled with a handler in flight (NIO traps on a response writer dropped
        /// unfinished).
        func waitUntilAnswered() async throws {
            for _ in 0..<200 where answered.withLock({ $0 }) < state.withLock({ $0.requests }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    struct EmbeddingsRequest: Decodable {
        var model: String
        var input: [String]
    }

    static func startServer(_ script: Script) async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        router.post("v1/embeddings") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let decoded = try JSONDecoder().decode(EmbeddingsRequest.self, from: Data(buffer: body))
            let (n, fail, status, delay) = script.state.withLock { s in
                s.requests += 1
                s.batchSizes.append(decoded.input.count)
                s.authorizations.append(request.headers[.authorization] ?? "")
                return (s.requests, s.failFirst, s.status, s.delaySeconds)
            }
            defer { script.answered.withLock { $0 += 1 } }
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
            if n <= fail {
                return Response(status: .init(code: Int(status)), body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"error\":{\"message\":\"try later\"}}")))
            }
            let items = decoded.input.enumerated().map { i, text in
                "{\"object\":\"embedding\",\"index\":\(i),\"embedding\":[\(Float(text.count)),1,\(Float(i))]}"
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"object\":\"list\",\"data\":[\(items.joined(separator: ","))],\"model\":\"m\"}")))
        }
        let port = Mutex(0)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { channel in
            port.withLock { $0 = channel.localAddress?.port ?? 0 }
        })
        let task = Task { try await app.run() }
        for _ in 0..<200 where port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        return (task, port.withLock { $0 })
    }

    static func embedder(port: Int, capture: LogCapture, batchSize: Int = 4, timeout: Double = 5, attempts: Int = 4, keyVariable: String = "TEST_EMBEDDINGS_KEY") throws -> OpenAIEmbedder {
        try OpenAIEmbedder(
            configuration: .init(
                baseURL: "http://127.0.0.1:\(port)/v1", model: "m", dimension: 3, apiKeyEnvironmentVariable: keyVariable, batchSize: batchSize,
                timeoutSeconds: timeout, maxAttempts: attempts, initialBackoffSeconds: 0.05, maxBackoffSeconds: 0.2),
            environment: [keyVariable: secret], logger: capture.logger(label: "test.embedder"))
    }

    @Test("batches in order, retries 503s with backoff, sends the key only in the header")
    func batchesAndRetries() async throws {
        let script = Script()
        script.state.withLock { $0.failFirst = 2 }
        let (server, port) = try await Self.startServer(script)
        defer { server.cancel() }
        let capture = LogCapture()
        let embedder = try Self.embedder(port: port, capture: capture)
        let texts = (0..<10).map { String(repeating: "w", count: $0 + 1) }
        let vectors = try await Self.offPool { Result { () throws(VectorError) in try embedder.embed(texts) } }.get()
        #expect(vectors.count == 10)
        for (i, v) in vectors.enumerated() { #expect(v[0] == Float(i + 1), "vector \(i) out of order: \(v)") }
        let seen = script.state.withLock { $0 }
        #expect(seen.requests == 5, "2 failed tries then 3 batches")
        #expect(seen.batchSizes.suffix(3) == [4, 4, 2])
        #expect(seen.authorizations.allSatisfy { $0 == "Bearer \(Self.secret)" })
        let lines = capture.all
        #expect(lines.count == 2, "one warning per retry: \(lines)")
        #expect(!lines.joined().contains(Self.secret))
        #expect(!embedder.summary.contains(Self.secret) && embedder.summary.contains("TEST_EMBEDDINGS_KEY"))
        try await script.waitUntilAnswered()
    }

    @Test("gives up as unavailable after its attempts, times out, and classifies refusals")
    func failuresAreClassified() async throws {
        let script = Script()
        script.state.withLock { $0.failFirst = 100 }
        let (server, port) = try await Self.startServer(script)
        defer { server.cancel() }
        let capture = LogCapture()

        let unavailable = try Self.embedder(port: port, capture: capture, attempts: 3)
        let error1 = await Self.failure(unavailable)
        #expect(error1?.code == .embedderUnavailable && error1?.status == 503, "\(String(describing: error1))")
        #expect(script.state.withLock { $0.requests } == 3)

        script.state.withLock { $0.status = 401 }
        let error2 = await Self.failure(unavailable)
        #expect(error2?.code == .embedderUnauthorized, "\(String(describing: error2))")
        #expect(!(error2?.description.contains(Self.secret) ?? true))

        script.state.withLock { $0.status = 400 }
        let error3 = await Self.failure(unavailable)
        #expect(error3?.code == .embedderRejected && error3?.status == 400, "\(String(describing: error3))")

        script.state.withLock {
            $0.failFirst = 0
            $0.delaySeconds = 3
        }
        let slow = try Self.embedder(port: port, capture: capture, timeout: 0.5, attempts: 2)
        let started = ContinuousClock.now
        let error4 = await Self.failure(slow)
        #expect(error4?.code == .embedderUnavailable && (error4?.message.contains("timed out") ?? false), "\(String(describing: error4))")
        #expect(ContinuousClock.now - started < .seconds(2.9), "the timeout must cut the 3 s answer short")
        #expect(!capture.all.joined().contains(Self.secret))
        try await script.waitUntilAnswered()
    }
}
