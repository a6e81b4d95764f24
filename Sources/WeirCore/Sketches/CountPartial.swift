/// A mergeable count of records.
///
/// - Complexity: O(1) add and merge; 8 bytes.
public struct CountPartial: MergeableAggregate, Hashable {
    /// Records counted so far.
    public var count: Int64

    /// An empty count.
    public init() { count = 0 }

    /// A count that starts at `count`.
    public init(count: Int64) { self.count = count }

    /// Counts `n` more records.
    @inlinable
    public mutating func add(_ n: Int64 = 1) { count += n }

    /// Adds the other partial's count.
    @inlinable
    public mutating func merge(_ other: CountPartial) { count += other.count }
}
