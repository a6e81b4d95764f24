import Foundation
public import Hummingbird
public import Logging
public import Prometheus
import Synchronization

/// The HTTP server of a running topology, on 127.0.0.1 by default:
/// - `GET /health`: `ok`;
/// - `GET /metrics`: Prometheus text (records, commits, checkpoint durations, dead letters,
///   lag, index size), from the registry that swift-metrics writes into;
/// - `GET /v1/status`: the job's counters as JSON;
/// - `POST /v1/search`: vector search in the in-process index (document topologies).
///
/// ``run(onListening:)`` serves until its task is cancelled.
public struct WeirHTTPServer: Sendable {
    public var host: String
    public var port: Int
    public let registry: PrometheusCollectorRegistry
    public let search: VectorSearchService?
    /// Called on every `/metrics` and `/v1/status` request before answering (refreshes gauges).
    public let refresh: @Sendable () -> Void
    /// The JSON of `/v1/status`.
    public let status: @Sendable () -> String
    let logger: Logger

    public init(
        host: String, port: Int, registry: PrometheusCollectorRegistry, search: VectorSearchService?,
        refresh: @escaping @Sendable () -> Void = {}, status: @escaping @Sendable () -> String = { "{}" }, logger: Logger
    ) {
        self.host = host
        self.port = port
        self.registry = registry
        self.search = search
        self.refresh = refresh
        self.status = status
        self.logger = logger
    }

    /// Serves until cancelled; `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let router = Router()
        let registry = self.registry
        let refresh = self.refresh
        let status = self.status
        let search = self.search
        router.get("health") { _, _ in "ok\n" }
        router.get("metrics") { _, _ -> Response in
            refresh()
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("v1/status") { _, _ -> Response in
            refresh()
            return Self.json(status(), status: .ok)
        }
        router.post("v1/search") { request, context -> Response in
            guard let search else {
                return Self.error(.notFound, "no_index", "this topology has no vector index")
            }
            let body = try await request.body.collect(upTo: 16 << 20)
            let decoded: SearchRequest
            do {
                decoded = try JSONDecoder().decode(SearchRequest.self, from: Data(buffer: body))
            } catch {
                return Self.error(.badRequest, "invalid_request", "expected {\"text\": ...} or {\"vector\": [...]} with optional k, ef, filter: \(error)")
            }
            do {
                let answer = try await search.answer(decoded)
                let data = try JSONEncoder().encode(answer)
                return Self.json(String(decoding: data, as: UTF8.self), status: .ok)
            } catch let failure as SearchFailure {
                return Self.error(HTTPResponse.Status(code: failure.status), failure.code, failure.message)
            }
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "weir"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    private static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    private static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let data = (try? JSONEncoder().encode(ErrorResponse(error: code, message: message))) ?? Data()
        return json(String(decoding: data, as: UTF8.self), status: status)
    }
}
