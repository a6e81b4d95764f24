import Synchronization

/// An in-memory approximate nearest-neighbor index over documents: a hierarchical navigable
/// small-world graph (Malkov & Yashunin, 2016) keyed by `String` document ids, with cosine,
/// L2 or inner-product distance and a small `[String: String]` metadata dictionary per document.
///
/// Writes: `insert` adds a document or replaces an existing one (the old slot becomes a
/// tombstone), `remove` tombstones one. Tombstones are never returned and are still walked
/// through, so the graph stays navigable; `compact()` repairs the neighbor lists around them
/// and drops them, and runs by itself once they exceed `maxTombstoneFraction` of the slots.
///
/// Concurrency: any number of threads may search while one thread writes. Every public member
/// runs under one reader-writer lock (a `pthread_rwlock_t` that prefers writers on Linux):
/// searches and reads share it, each insert, remove, compact or capacity change holds it
/// exclusively for that one operation. A search therefore sees the graph between two writes,
/// never a half-written vector or neighbor list. Searches take their working memory from a
/// small `Mutex`-guarded pool, so concurrent searches do not contend on it while walking.
///
/// Snapshots: `snapshot()` writes a versioned, checksummed byte image (configuration,
/// vectors, levels, neighbor lists, ids, metadata, tombstones and the level generator state);
/// `init(snapshot:)` loads it without rebuilding, and answers every query identically.
public final class HNSWIndex: @unchecked Sendable {
    // Safe to share between threads: every access to `graph` holds `lock` (shared for reads and
    // searches, exclusive for writes), `scratchPool` is a `Mutex`, and `configuration` is a `let`.

    /// The parameters the index was created with.
    public let configuration: HNSWConfiguration
    private let lock = ReaderWriterLock()
    private let graph: HNSWGraph
    private let scratchPool = Mutex<[SearchScratch]>([])
    private static let pooledScratchLimit = 16

    /// An empty index. Throws `invalidConfiguration` when a parameter is out of range.
    public init(configuration: HNSWConfiguration) throws(VectorError) {
        try configuration.validate()
        self.configuration = configuration
        graph = HNSWGraph(configuration: configuration)
    }

    init(configuration: HNSWConfiguration, graph: HNSWGraph) {
        self.configuration = configuration
        self.graph = graph
    }

    /// Live documents (tombstones not counted).
    public var count: Int { lock.withReadLock { graph.liveCount } }

    /// Tombstoned slots waiting for compaction.
    public var tombstoneCount: Int { lock.withReadLock { graph.tombstoneCount } }

    /// The ids of all live documents, in no particular order.
    ///
    /// - Complexity: O(n).
    public var ids: [String] { lock.withReadLock { Array(graph.slotsByID.keys) } }

    /// Whether a live document has this id.
    public func contains(id: String) -> Bool { lock.withReadLock { graph.slotsByID[id] != nil } }

    /// The stored vector of a live document (unit length under cosine), or nil.
    ///
    /// - Complexity: O(d).
    public func vector(for id: String) -> [Float]? {
        lock.withReadLock {
            guard let slot = graph.slotsByID[id] else { return nil }
            return Array(UnsafeBufferPointer(start: graph.view.vector(slot), count: graph.dimension))
        }
    }

    /// The metadata of a live document, or nil.
    public func metadata(for id: String) -> [String: String]? {
        lock.withReadLock { graph.slotsByID[id].map { graph.metadata[Int($0)] } }
    }

    /// Allocates room for `slots` documents at once, so a bulk load does not grow in steps.
    public func reserveCapacity(_ slots: Int) {
        lock.withWriteLock { graph.reserve(slots) }
    }

    /// Adds a document, or replaces the vector and metadata of an existing id (the old slot
    /// becomes a tombstone; an identical vector only updates the metadata in place).
    ///
    /// Throws `dimensionMismatch` for a vector of the wrong length, `invalidVector` for NaN,
    /// infinity, or an all-zero vector under cosine.
    ///
    /// - Complexity: about O(efConstruction * m * d * log n).
    public func insert(id: String, vector: [Float], metadata: [String: String] = [:]) throws(VectorError) {
        try upsert(id: id, vector: vector, metadata: metadata, mustExist: false)
    }

    /// Replaces the vector and metadata of an existing document; throws `unknownID` when the
    /// id is not in the index (use `insert` to upsert).
    ///
    /// - Complexity: as `insert`.
    public func update(id: String, vector: [Float], metadata: [String: String] = [:]) throws(VectorError) {
        try upsert(id: id, vector: vector, metadata: metadata, mustExist: true)
    }

    /// Tombstones a document: it is no longer returned, and its slot is reclaimed by the next
    /// compaction. Returns false when the id was not in the index.
    ///
    /// - Complexity: O(1), plus a compaction when tombstones pass the threshold.
    @discardableResult
    public func remove(id: String) -> Bool {
        lock.withWriteLock {
            guard let slot = graph.slotsByID[id] else { return false }
            tombstone(slot)
            compactIfNeeded()
            return true
        }
    }

    /// Repairs the neighbor lists that point at tombstones and drops the tombstoned slots, so
    /// search quality does not decay under deletes and updates.
    ///
    /// - Complexity: O(n * m0 * d) plus O(m0^2 * d) per repaired list.
    public func compact() {
        lock.withWriteLock { graph.compact() }
    }

    /// The `k` nearest live documents to `query`, closest first, each with its distance.
    ///
    /// `ef` is the beam width (default `efSearch`, raised to `k`). With a `filter`, only
    /// documents whose metadata pass it are returned; the check runs during the graph walk, so
    /// a selective filter still returns `k` results when that many match. Throws
    /// `dimensionMismatch` for a query of the wrong length, `invalidVector` for NaN, infinity
    /// or an all-zero query under cosine.
    ///
    /// - Complexity: about O(ef * m0 * d * log n); a filter passing a fraction p of the
    ///   documents costs roughly 1/p times more.
    public func search(
        _ query: [Float], k: Int, ef: Int? = nil, filter: MetadataFilter? = nil
    ) throws(VectorError) -> [SearchResult] {
        try checkDimension(query.count, id: nil)
        guard k > 0 else { return [] }
        let scratch = takeScratch()
        defer { returnScratch(scratch) }
        try prepare(query, into: scratch.query, id: nil)
        let width = max(ef ?? configuration.efSearch, 1)
        return lock.withReadLock {
            let found = graph.nearest(scratch.query, k: k, ef: width, filter: filter, scratch: scratch)
            var results: [SearchResult] = []
            results.reserveCapacity(found)
            for i in 0..<found {
                let hit = scratch.sorted[i]
                results.append(SearchResult(id: graph.ids[Int(hit.slot)], distance: hit.distance))
            }
            return results
        }
    }

    /// Writes the snapshot image; see `init(snapshot:)`.
    ///
    /// - Complexity: O(n * (d + m0) + metadata size).
    public func snapshot() -> [UInt8] {
        lock.withReadLock { HNSWSnapshotFormat.encode(graph, configuration: configuration) }
    }

    /// Loads an index from `snapshot()` bytes without rebuilding the graph. Throws
    /// `snapshotTruncated`, `snapshotChecksumMismatch`, `snapshotUnsupportedVersion` or
    /// `snapshotCorrupt` for bytes it cannot trust.
    ///
    /// - Complexity: O(n * (d + m0) + metadata size).
    public convenience init(snapshot: [UInt8]) throws(VectorError) {
        let (configuration, graph) = try HNSWSnapshotFormat.decode(snapshot)
        self.init(configuration: configuration, graph: graph)
    }

    // MARK: - Private helpers (callers hold the lock where noted)

    private func upsert(id: String, vector: [Float], metadata: [String: String], mustExist: Bool) throws(VectorError) {
        try checkDimension(vector.count, id: id)
        try lock.withWriteLock { () throws(VectorError) in
            let existing = graph.slotsByID[id]
            if mustExist && existing == nil { throw VectorError(.unknownID, "no document with this id", id: id) }
            let prepared = graph.writer.query
            try prepare(vector, into: prepared, id: id)
            if let existing {
                let stored = graph.view.vector(existing)
                if (0..<graph.dimension).allSatisfy({ stored[$0] == prepared[$0] }) {
                    graph.metadata[Int(existing)] = metadata
                    return
                }
                tombstone(existing)
            }
            graph.insertSlot(id: id, vector: prepared, metadata: metadata)
            compactIfNeeded()
        }
    }

    private func checkDimension(_ count: Int, id: String?) throws(VectorError) {
        guard count == configuration.dimension else {
            throw VectorError(
                .dimensionMismatch, "vector length differs from the index dimension", id: id,
                expected: configuration.dimension, actual: count)
        }
    }

    /// Copies `vector` into `target`, checks it is finite, and normalizes it under cosine.
    private func prepare(_ vector: [Float], into target: UnsafeMutablePointer<Float>, id: String?) throws(VectorError) {
        let d = configuration.dimension
        vector.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: d) }
        for i in 0..<d where !target[i].isFinite {
            throw VectorError(.invalidVector, "vector holds NaN or infinity at position \(i)", id: id)
        }
        if configuration.metric == .cosine && !DistanceKernels.normalize(target, d) {
            throw VectorError(.invalidVector, "a zero vector has no cosine direction", id: id)
        }
    }

    /// Marks a live slot dead. Caller holds the write lock.
    private func tombstone(_ slot: Int32) {
        graph.tombstones[Int(slot)] = 1
        graph.tombstoneCount += 1
        graph.slotsByID[graph.ids[Int(slot)]] = nil
    }

    /// Compacts once tombstones pass the configured fraction. Caller holds the write lock.
    private func compactIfNeeded() {
        if Double(graph.tombstoneCount) > configuration.maxTombstoneFraction * Double(graph.slotCount) {
            graph.compact()
        }
    }

    private func takeScratch() -> SearchScratch {
        scratchPool.withLock { $0.popLast() }
            ?? SearchScratch(dimension: configuration.dimension, maxLinks: 2 * configuration.m, slots: 0)
    }

    private func returnScratch(_ scratch: SearchScratch) {
        scratchPool.withLock { pool in
            if pool.count < Self.pooledScratchLimit { pool.append(scratch) }
        }
    }
}
