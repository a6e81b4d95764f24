/// A mergeable, exact sum of 64-bit integers.
///
/// The running total is a 128-bit integer, so it cannot overflow for any realistic stream
/// (2^64 additions of `Int64.max` still fit), and merging partials in any order gives
/// exactly the single-pass total. ``value`` is `nil` when the total does not fit in
/// `Int64`; ``total`` always holds it.
///
/// - Complexity: O(1) add and merge; 16 bytes.
public struct Int64SumPartial: MergeableAggregate, Hashable {
    @usableFromInline
    internal var _total: Int128

    /// The exact sum of every value added.
    public var total: Int128 { _total }

    /// The sum as an `Int64`, or `nil` when it overflows `Int64`.
    public var value: Int64? { Int64(exactly: _total) }

    /// An empty sum (zero).
    public init() { _total = 0 }

    /// Adds one value.
    @inlinable
    public mutating func add(_ value: Int64) { _total += Int128(value) }

    /// Adds the other partial's total.
    @inlinable
    public mutating func merge(_ other: Int64SumPartial) { _total += other._total }
}
