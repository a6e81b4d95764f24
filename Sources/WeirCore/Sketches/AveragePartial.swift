/// A mergeable mean of doubles: a compensated sum and a count.
///
/// - Complexity: O(1) add and merge; 24 bytes.
public struct AveragePartial: MergeableAggregate, Equatable {
    /// The sum of the values added.
    public private(set) var sum: DoubleSumPartial
    /// How many values were added.
    public private(set) var count: Int64

    /// An empty mean (no values).
    public init() {
        sum = DoubleSumPartial()
        count = 0
    }

    /// Adds one value.
    public mutating func add(_ x: Double) {
        sum.add(x)
        count += 1
    }

    /// The mean, or `nil` when no value was added.
    public var average: Double? { count == 0 ? nil : sum.value / Double(count) }

    /// Adds the other partial's sum and count.
    public mutating func merge(_ other: AveragePartial) {
        sum.merge(other.sum)
        count += other.count
    }
}
