/// A mergeable minimum.
///
/// Values that are not equal to themselves (floating-point NaN) are ignored.
///
/// - Complexity: O(1) add and merge.
public struct MinPartial<Value: Comparable & Sendable>: MergeableAggregate {
    /// The smallest value added, or `nil` when none was.
    public var value: Value? { _value }

    @usableFromInline internal var _value: Value?

    /// An empty minimum.
    public init() { _value = nil }

    /// Offers one value.
    @inlinable
    public mutating func add(_ x: Value) {
        guard x == x else { return }
        if let current = _value, !(x < current) { return }
        _value = x
    }

    /// Keeps the smaller of the two minima.
    @inlinable
    public mutating func merge(_ other: MinPartial<Value>) {
        if let x = other._value { add(x) }
    }
}

extension MinPartial: Equatable where Value: Equatable {}
extension MinPartial: Hashable where Value: Hashable {}
