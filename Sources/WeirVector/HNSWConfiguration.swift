/// The fixed parameters of one HNSW index: the vector dimension and metric, the graph degree
/// `m`, the beam widths `efConstruction` and `efSearch`, the level seed, and when tombstones
/// trigger a compaction.
public struct HNSWConfiguration: Sendable, Hashable {
    /// The length of every vector in the index (any value >= 1).
    public var dimension: Int
    /// The distance the index ranks by.
    public var metric: VectorMetric
    /// Links per node on the upper levels; level 0 keeps up to `2 * m`. Typical: 12-48.
    public var m: Int
    /// Beam width while inserting: higher builds a better graph, more slowly. Typical: 100-400.
    public var efConstruction: Int
    /// Default beam width of a search (raised to `k` when smaller). Higher is slower and more exact.
    public var efSearch: Int
    /// Seed of the level generator: the same seed and insert order give the same graph.
    public var seed: UInt64
    /// When tombstones exceed this fraction of all slots, the next remove or replace compacts
    /// the index (repairs neighbor lists and drops the dead slots). 1 turns this off.
    public var maxTombstoneFraction: Double

    /// A configuration; the defaults suit 50-1,536 dimensional text embeddings.
    public init(
        dimension: Int, metric: VectorMetric, m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64,
        seed: UInt64 = 0x5745_4952, maxTombstoneFraction: Double = 0.2
    ) {
        self.dimension = dimension
        self.metric = metric
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
        self.maxTombstoneFraction = maxTombstoneFraction
    }

    /// Throws `invalidConfiguration` when a value is out of range.
    func validate() throws(VectorError) {
        func fail(_ message: String) -> VectorError { VectorError(.invalidConfiguration, message) }
        guard dimension >= 1, dimension <= 1 << 20 else { throw fail("dimension must be in 1...1048576, got \(dimension)") }
        guard m >= 2, m <= 1_024 else { throw fail("m must be in 2...1024, got \(m)") }
        guard efConstruction >= 1, efConstruction <= 1 << 20 else {
            throw fail("efConstruction must be in 1...1048576, got \(efConstruction)")
        }
        guard efSearch >= 1, efSearch <= 1 << 20 else { throw fail("efSearch must be in 1...1048576, got \(efSearch)") }
        guard maxTombstoneFraction > 0, maxTombstoneFraction <= 1 else {
            throw fail("maxTombstoneFraction must be in (0, 1], got \(maxTombstoneFraction)")
        }
    }
}
