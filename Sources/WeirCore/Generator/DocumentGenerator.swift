/// Deterministic documents for the embeddings pipeline: short texts drawn from a few topics,
/// metadata with `status` and `topic`, then updates of earlier documents and tombstones.
/// The same configuration gives the same records.
public struct DocumentGenerator: Sendable {
    /// What to generate.
    public struct Configuration: Sendable {
        public var documents: Int
        /// Updates of earlier documents, as a fraction of `documents`.
        public var updateFraction: Double
        /// Tombstones of earlier documents, as a fraction of `documents`.
        public var deleteFraction: Double
        public var seed: UInt64

        public init(documents: Int, updateFraction: Double = 0.1, deleteFraction: Double = 0.02, seed: UInt64 = 42) {
            self.documents = documents
            self.updateFraction = updateFraction
            self.deleteFraction = deleteFraction
            self.seed = seed
        }
    }

    /// One record: the key (the document id) and the value (nil for a tombstone).
    public struct Record: Sendable {
        public var key: [UInt8]
        public var value: [UInt8]?
    }

    static let topics: [(name: String, words: [String])] = [
        ("streaming", ["kafka", "partition", "consumer", "offset", "lag", "broker", "topic", "rebalance", "watermark", "window"]),
        ("analytics", ["daily", "active", "users", "retention", "cohort", "funnel", "dashboard", "metric", "growth", "churn"]),
        ("databases", ["postgres", "index", "vacuum", "transaction", "replica", "query", "table", "schema", "backup", "latency"]),
        ("search", ["vector", "embedding", "similarity", "hnsw", "recall", "neighbor", "semantic", "ranking", "filter", "cosine"]),
    ]

    public let configuration: Configuration
    private var rng: SplitMix64
    private var produced = 0
    private let total: Int

    public init(configuration: Configuration) {
        self.configuration = configuration
        rng = SplitMix64(seed: configuration.seed)
        total = configuration.documents + Int(Double(configuration.documents) * (configuration.updateFraction + configuration.deleteFraction))
    }

    /// The next record, or nil at the end.
    public mutating func next() -> Record? {
        guard produced < total else { return nil }
        defer { produced += 1 }
        let n = configuration.documents
        if produced < n { return document(id: produced) }
        let id = Int(rng.next() % UInt64(max(n, 1)))
        let deletes = Int(Double(n) * configuration.deleteFraction)
        if produced >= total - deletes { return Record(key: Array("doc-\(id)".utf8), value: nil) }
        return document(id: id)
    }

    private mutating func document(id: Int) -> Record {
        let topic = Self.topics[Int(rng.next() % UInt64(Self.topics.count))]
        var words: [String] = []
        for _ in 0..<(8 + Int(rng.next() % 8)) {
            // Mostly the topic's words, sometimes another topic's.
            let source = rng.next() % 5 == 0 ? Self.topics[Int(rng.next() % UInt64(Self.topics.count))].words : topic.words
            words.append(source[Int(rng.next() % UInt64(source.count))])
        }
        let status = rng.next() % 4 == 0 ? "draft" : "active"
        let json = "{\"document_id\":\"doc-\(id)\",\"content\":\"\(words.joined(separator: " "))\",\"metadata\":{\"status\":\"\(status)\",\"topic\":\"\(topic.name)\",\"version\":\(produced)}}"
        return Record(key: Array("doc-\(id)".utf8), value: Array(json.utf8))
    }
}
