/// A mergeable maximum.
///
/// Values that are not equal to themselves (floating-point NaN) are ignored.
///
/// - Complexity: O(1) add and merge.
public struct MaxPartial<Value: Comparable & Sendable>: MergeableAggregate {
    /// The largest value added, or `nil` when none was.
    public var value: Value? { _value }

    @usableFromInline internal var _value: Value?

    /// An empty maximum.
    public init() { _value = nil }

    /// Offers one value.
    @inlinable
    public mutating func add(_ x: Value) {
        guard x == x else { return }
        if let current = _value, !(current < x) { return }
        _value = x
    }

    /// Keeps the larger of the two maxima.
    @inlinable
    public mutating func merge(_ other: MaxPartial<Value>) {
        if let x = other._value { add(x) }
    }
}

extension MaxPartial: Equatable where Value: Equatable {}
extension MaxPartial: Hashable where Value: Hashable {}
