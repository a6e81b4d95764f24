import WeirCore
import WeirPostgres
import WeirVector

/// The sections of `document_embeddings` topologies and the `server` section:
/// ```yaml
/// documents:
///   format: json
///   id: document_id          # dotted JSON field paths
///   content: content
///   metadata: metadata
///   embedding: embedding     # optional ready vector in the record
///   max_message_bytes: 4194304
/// embedder:
///   kind: hashing            # built in, offline, lexical
///   dimension: 384
///   # kind: openai           # an OpenAI-compatible POST {base_url}/embeddings
///   # base_url: https://api.openai.com/v1
///   # model: text-embedding-3-small
///   # dimension: 1536
///   # send_dimensions: false
///   # api_key_env: OPENAI_API_KEY
///   # batch_size: 64
///   # timeout_ms: 30000
///   # max_attempts: 5
/// index:
///   metric: cosine           # cosine, l2 or inner_product
///   m: 16
///   ef_construction: 200
///   ef_search: 100
///   snapshot_dir: .weir/state/document-embeddings
///   snapshot_interval_ms: 30000
/// server:
///   listen: 127.0.0.1:8181   # port 0 picks a free one
/// ```
extension TopologyLoader {
    static func documentPipeline(_ top: YAMLObject) throws(TopologyError) -> TopologyDefinition.DocumentPipeline {
        let embedderObject = try top.requireObject("embedder")
        let embedder = try embedderChoice(embedderObject)

        var decoder = DocumentDecoder.Configuration(dimension: embedder.dimension)
        if let documents = try top.object("documents") {
            try documents.rejectUnknownKeys(["format", "id", "content", "metadata", "embedding", "max_message_bytes"])
            let format = try documents.string("format") ?? "json"
            guard format == "json" else {
                throw documents.error(.invalidValue, "only 'json' is supported, got '\(format)'", key: "format", at: documents.value("format"))
            }
            decoder.idField = try fieldPath(documents, "id", default: "document_id")
            decoder.contentField = try fieldPath(documents, "content", default: "content")
            decoder.metadataField = try fieldPath(documents, "metadata", default: "metadata")
            decoder.embeddingField = try fieldPath(documents, "embedding", default: "embedding")
            if let bytes = try documents.int("max_message_bytes", range: 64...(64 << 20)) { decoder.maxMessageBytes = bytes }
        }

        var index = HNSWConfiguration(dimension: embedder.dimension, metric: .cosine, m: 16, efConstruction: 200, efSearch: 100)
        var snapshotDirectory: String? = ".weir/state"
        var snapshotInterval = 30_000
        if let indexObject = try top.object("index") {
            try indexObject.rejectUnknownKeys(["metric", "m", "ef_construction", "ef_search", "snapshot_dir", "snapshot_interval_ms"])
            if let metricText = try indexObject.string("metric") {
                guard let metric = VectorMetric(rawValue: metricText) else {
                    throw indexObject.error(.invalidValue, "expected cosine, l2 or inner_product, got '\(metricText)'", key: "metric", at: indexObject.value("metric"))
                }
                index.metric = metric
            }
            index.m = try indexObject.int("m", range: 2...256) ?? index.m
            index.efConstruction = try indexObject.int("ef_construction", range: 1...10_000) ?? index.efConstruction
            index.efSearch = try indexObject.int("ef_search", range: 1...10_000) ?? index.efSearch
            if let directory = try indexObject.string("snapshot_dir") { snapshotDirectory = directory.isEmpty || directory == "none" ? nil : directory }
            snapshotInterval = try indexObject.int("snapshot_interval_ms", range: 100...86_400_000) ?? snapshotInterval
        }
        return TopologyDefinition.DocumentPipeline(
            decoder: decoder, embedder: embedder, index: index, snapshotDirectory: snapshotDirectory,
            snapshotIntervalMilliseconds: snapshotInterval)
    }

    private static func embedderChoice(_ object: YAMLObject) throws(TopologyError) -> TopologyDefinition.EmbedderChoice {
        let kind = try object.string("kind") ?? "hashing"
        switch kind {
        case "hashing":
            try object.rejectUnknownKeys(["kind", "dimension"])
            return .hashing(dimension: try object.int("dimension", range: 8...16_000) ?? 384)
        case "openai":
            try object.rejectUnknownKeys([
                "kind", "base_url", "model", "dimension", "send_dimensions", "api_key_env", "batch_size", "timeout_ms", "max_attempts",
            ])
            var configuration = OpenAIEmbedder.Configuration()
            configuration.baseURL = try object.string("base_url") ?? configuration.baseURL
            configuration.model = try object.string("model") ?? configuration.model
            configuration.dimension = try object.int("dimension", range: 1...16_000) ?? configuration.dimension
            if let flag = try object.string("send_dimensions") {
                guard let value = Bool(flag) else {
                    throw object.error(.invalidValue, "expected true or false, got '\(flag)'", key: "send_dimensions", at: object.value("send_dimensions"))
                }
                configuration.sendDimensions = value
            }
            configuration.apiKeyEnvironmentVariable = try object.string("api_key_env") ?? configuration.apiKeyEnvironmentVariable
            configuration.batchSize = try object.int("batch_size", range: 1...2048) ?? configuration.batchSize
            if let ms = try object.int("timeout_ms", range: 100...600_000) { configuration.timeoutSeconds = Double(ms) / 1000 }
            configuration.maxAttempts = try object.int("max_attempts", range: 1...100) ?? configuration.maxAttempts
            return .openAI(configuration)
        default:
            throw object.error(.invalidValue, "unknown embedder kind '\(kind)' (expected: hashing, openai)", key: "kind", at: object.value("kind"))
        }
    }

    static func serverSettings(_ object: YAMLObject?) throws(TopologyError) -> TopologyDefinition.HTTPServerSettings? {
        guard let object else { return nil }
        try object.rejectUnknownKeys(["listen"])
        guard let listen = try object.string("listen"), listen != "off" else { return nil }
        guard let settings = TopologyDefinition.HTTPServerSettings(listen: listen) else {
            throw object.error(.invalidValue, "expected HOST:PORT such as 127.0.0.1:8181, got '\(listen)'", key: "listen", at: object.value("listen"))
        }
        return settings
    }
}

extension TopologyDefinition.HTTPServerSettings {
    /// Parses `HOST:PORT` (port 0 picks a free one).
    public init?(listen: String) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        let host = String(listen[..<colon])
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    /// `host:port`.
    public var listen: String { "\(host):\(port)" }
}

extension YAMLObject {
    /// Refuses sections that do not apply to the topology's kind.
    func rejectSections(_ keys: [String], because reason: String) throws(TopologyError) {
        for key in keys where value(key) != nil {
            throw error(.unknownField, "'\(key)' does not apply here: \(reason)", key: key, at: value(key))
        }
    }
}
