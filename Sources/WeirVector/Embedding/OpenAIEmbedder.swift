import Foundation
public import Logging

/// An embedder that calls an OpenAI-compatible service: `POST {baseURL}/embeddings` with
/// `{"model": ..., "input": [texts]}` (OpenAI, Azure-compatible gateways, vLLM, Ollama,
/// text-embeddings-inference and LiteLLM all speak it).
///
/// - Batching: texts are sent `batchSize` at a time, in order.
/// - Retries: connection errors, timeouts, HTTP 408, 409, 429 and 5xx are retried up to
///   `maxAttempts` times with exponential backoff and jitter (honouring `Retry-After`);
///   then `embedderUnavailable` is thrown, which callers treat as transient.
/// - Refusals: 400, 413 and 422 throw `embedderRejected` at once; 401 and 403 throw
///   `embedderUnauthorized`.
/// - Secrets: the API key is read from the environment variable named by
///   `apiKeyEnvironmentVariable` and sent only as `Authorization: Bearer`; it never appears
///   in `summary`, in errors or in logs.
public struct OpenAIEmbedder: Embedder {
    /// Where and how to call the service.
    public struct Configuration: Sendable, Hashable {
        /// The API root, e.g. `https://api.openai.com/v1`; requests go to `{baseURL}/embeddings`.
        public var baseURL: String
        /// The model name sent with each request, e.g. `text-embedding-3-small`.
        public var model: String
        /// The vector length the model returns; answers of another length are refused.
        public var dimension: Int
        /// Whether to send `"dimensions": dimension` (models that can shorten their vectors).
        public var sendDimensions: Bool
        /// The environment variable holding the API key (none sent when it is unset or empty).
        public var apiKeyEnvironmentVariable: String
        /// Texts per request.
        public var batchSize: Int
        /// Deadline of one request, in seconds.
        public var timeoutSeconds: Double
        /// Tries per batch, the first included.
        public var maxAttempts: Int
        /// The first retry waits this long; each later one twice as long, up to `maxBackoffSeconds`.
        public var initialBackoffSeconds: Double
        /// The longest wait between two tries.
        public var maxBackoffSeconds: Double

        /// Settings with the defaults of the topology format.
        public init(
            baseURL: String = "https://api.openai.com/v1", model: String = "text-embedding-3-small",
            dimension: Int = 1536, sendDimensions: Bool = false, apiKeyEnvironmentVariable: String = "OPENAI_API_KEY",
            batchSize: Int = 64, timeoutSeconds: Double = 30, maxAttempts: Int = 5,
            initialBackoffSeconds: Double = 0.5, maxBackoffSeconds: Double = 8
        ) {
            self.baseURL = baseURL
            self.model = model
            self.dimension = dimension
            self.sendDimensions = sendDimensions
            self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
            self.batchSize = batchSize
            self.timeoutSeconds = timeoutSeconds
            self.maxAttempts = maxAttempts
            self.initialBackoffSeconds = initialBackoffSeconds
            self.maxBackoffSeconds = maxBackoffSeconds
        }
    }

    /// The settings this embedder was made with.
    public let configuration: Configuration
    public var dimension: Int { configuration.dimension }
    private let endpoint: URL
    private let apiKey: String?
    private let http: HTTPPost
    private let logger: Logger

    /// Validates the settings and reads the API key from the environment.
    public init(
        configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "weir.embedder")
    ) throws(VectorError) {
        let trimmed = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        guard let url = URL(string: trimmed + "/embeddings"), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw VectorError(.invalidConfiguration, "embedder base_url must be an http(s) URL, got '\(configuration.baseURL)'")
        }
        guard (1...65_536).contains(configuration.dimension) else {
            throw VectorError(.invalidConfiguration, "embedder dimension must be in 1...65536", actual: configuration.dimension)
        }
        guard (1...2048).contains(configuration.batchSize), configuration.maxAttempts >= 1, configuration.timeoutSeconds > 0 else {
            throw VectorError(.invalidConfiguration, "embedder batch_size must be in 1...2048, max_attempts >= 1 and timeout > 0")
        }
        self.configuration = configuration
        self.endpoint = url
        let key = environment[configuration.apiKeyEnvironmentVariable]
        self.apiKey = (key?.isEmpty ?? true) ? nil : key
        self.http = HTTPPost(timeoutSeconds: configuration.timeoutSeconds)
        self.logger = logger
    }

    /// Endpoint, model and dimension; says whether a key is set, never what it is.
    public var summary: String {
        "openai(\(endpoint.absoluteString), model: \(configuration.model), dimension: \(dimension), "
            + "key: \(apiKey == nil ? "none (\(configuration.apiKeyEnvironmentVariable) unset)" : "from \(configuration.apiKeyEnvironmentVariable)"))"
    }

    public func embed(_ texts: [String]) throws(VectorError) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(start + configuration.batchSize, texts.count)
            vectors += try embedBatch(Array(texts[start..<end]))
            start = end
        }
        return vectors
    }

    private func embedBatch(_ texts: [String]) throws(VectorError) -> [[Float]] {
        let body = Self.requestBody(model: configuration.model, texts: texts, dimensions: configuration.sendDimensions ? dimension : nil)
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let apiKey { headers["Authorization"] = "Bearer \(apiKey)" }
        var backoff = configuration.initialBackoffSeconds
        var lastProblem = ""
        var lastStatus: Int?
        for attempt in 1...configuration.maxAttempts {
            var wait = backoff
            do {
                let response = try http.send(url: endpoint, headers: headers, body: body, timeoutSeconds: configuration.timeoutSeconds)
                switch response.status {
                case 200..<300:
                    return try Self.parseResponse(response.body, count: texts.count, dimension: dimension)
                case 401, 403:
                    var error = VectorError(.embedderUnauthorized, "the embedding service refused the credentials (\(apiKey == nil ? "no API key: \(configuration.apiKeyEnvironmentVariable) is unset" : "key from \(configuration.apiKeyEnvironmentVariable)"))")
                    error.status = response.status
                    throw error
                case 400, 404, 413, 422:
                    var error = VectorError(.embedderRejected, "the embedding service refused the input: \(Self.errorMessage(response.body))")
                    error.status = response.status
                    throw error
                default:
                    lastStatus = response.status
                    lastProblem = "HTTP \(response.status): \(Self.errorMessage(response.body))"
                    if let retryAfter = response.retryAfterSeconds { wait = min(max(retryAfter, 0), 60) }
                }
            } catch let failure as HTTPPost.Failure {
                switch failure {
                case .timedOut: lastProblem = "timed out after \(configuration.timeoutSeconds) s"
                case .transport(let message): lastProblem = message
                }
                lastStatus = nil
            } catch let error as VectorError {
                throw error
            } catch {
                lastProblem = "\(error)"
            }
            guard attempt < configuration.maxAttempts else { break }
            let jittered = wait * Double.random(in: 0.8...1.2)
            logger.warning("embedding request failed (attempt \(attempt) of \(configuration.maxAttempts), retrying in \(String(format: "%.2f", jittered)) s): \(lastProblem)")
            Thread.sleep(forTimeInterval: jittered)
            backoff = min(backoff * 2, configuration.maxBackoffSeconds)
        }
        var error = VectorError(.embedderUnavailable, "the embedding service at \(endpoint.absoluteString) failed \(configuration.maxAttempts) times; last: \(lastProblem)")
        error.status = lastStatus
        throw error
    }
}
