import Synchronization

/// The in-process vector index of a documents topology: one HNSW shard per input partition
/// (a partition's shard moves with it when the consumer group rebalances), searched together.
///
/// Thread-safety: the shard table sits behind a `Mutex`; each shard is an ``HNSWIndex``, which
/// lets many threads search while the topology's thread writes. The HTTP server searches while
/// the topology upserts.
public final class DocumentIndex: Sendable {
    /// The settings of every shard.
    public let configuration: HNSWConfiguration
    private let shards = Mutex<[Int32: HNSWIndex]>([:])

    /// An index with no shards yet.
    public init(configuration: HNSWConfiguration) throws(VectorError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The shard of `partition`, created empty when missing.
    public func shard(_ partition: Int32) -> HNSWIndex {
        shards.withLock { table in
            if let existing = table[partition] { return existing }
            // The configuration was validated in init, so creating a shard cannot fail.
            let created = try! HNSWIndex(configuration: configuration)
            table[partition] = created
            return created
        }
    }

    /// Installs a shard loaded from a snapshot, replacing any other for that partition.
    public func install(_ shard: HNSWIndex, for partition: Int32) throws(VectorError) {
        guard shard.configuration.dimension == configuration.dimension, shard.configuration.metric == configuration.metric else {
            throw VectorError(
                .snapshotCorrupt, "the snapshot of partition \(partition) is a \(shard.configuration.metric.rawValue) index of dimension \(shard.configuration.dimension); the topology asks for \(configuration.metric.rawValue), \(configuration.dimension)",
                expected: configuration.dimension, actual: shard.configuration.dimension)
        }
        shards.withLock { $0[partition] = shard }
    }

    /// Inserts or replaces a document in the shard of `partition`, and removes it from any
    /// other shard (a producer that changed its partitioning moved the key).
    public func upsert(id: String, vector: [Float], metadata: [String: String], partition: Int32) throws(VectorError) {
        try shard(partition).insert(id: id, vector: vector, metadata: metadata)
        // Read-locked look-ups first: the write lock is taken only when a key really moved.
        for (p, other) in shards.withLock({ $0 }) where p != partition && other.contains(id: id) { _ = other.remove(id: id) }
    }

    /// Removes a document from every shard; whether one held it.
    @discardableResult
    public func remove(id: String) -> Bool {
        var removed = false
        for other in shards.withLock({ Array($0.values) }) where other.contains(id: id) && other.remove(id: id) { removed = true }
        return removed
    }

    /// Drops the shard of a partition this process no longer owns.
    public func drop(_ partition: Int32) { _ = shards.withLock { $0.removeValue(forKey: partition) } }

    /// The partitions with a shard here.
    public var partitions: [Int32] { shards.withLock { $0.keys.sorted() } }

    /// Live documents over all shards.
    public var count: Int { shards.withLock { Array($0.values) }.reduce(0) { $0 + $1.count } }

    /// The ids of all live documents over all shards.
    public var ids: Set<String> { Set(shards.withLock { Array($0.values) }.flatMap(\.ids)) }

    /// Whether some shard holds a live document with this id.
    public func contains(id: String) -> Bool { shards.withLock { Array($0.values) }.contains { $0.contains(id: id) } }

    /// The `k` nearest live documents over all shards, nearest first, each passing `filter`.
    ///
    /// - Complexity: one HNSW search per shard, then a merge of at most k per shard.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: MetadataFilter? = nil) throws(VectorError) -> [SearchResult] {
        let current = shards.withLock { Array($0.values) }
        var merged: [SearchResult] = []
        for shard in current { merged += try shard.search(query, k: k, ef: ef, filter: filter) }
        merged.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
        return Array(merged.prefix(k))
    }

    /// The metadata of a live document, for search answers.
    public func metadata(for id: String) -> [String: String]? {
        for shard in shards.withLock({ Array($0.values) }) {
            if let found = shard.metadata(for: id) { return found }
        }
        return nil
    }
}
