/// The order an ``ExtremumPartial`` keeps: the smallest or the largest value.
public protocol ExtremumOrder: Sendable {
    /// Whether `candidate` should replace `current`.
    static func prefers<V: Comparable>(_ candidate: V, over current: V) -> Bool
}

/// Keeps the smallest value.
public enum Smallest: ExtremumOrder {
    @inlinable public static func prefers<V: Comparable>(_ candidate: V, over current: V) -> Bool { candidate < current }
}

/// Keeps the largest value.
public enum Largest: ExtremumOrder {
    @inlinable public static func prefers<V: Comparable>(_ candidate: V, over current: V) -> Bool { current < candidate }
}

/// A mergeable minimum or maximum, chosen by `Order`.
///
/// Values that are not equal to themselves (floating-point NaN) are ignored.
///
/// - Complexity: O(1) add and merge.
public struct ExtremumPartial<Value: Comparable & Sendable, Order: ExtremumOrder>: MergeableAggregate {
    /// The extreme value added, or `nil` when none was.
    public var value: Value? { _value }

    @usableFromInline internal var _value: Value?

    /// An empty partial.
    public init() { _value = nil }

    /// Offers one value.
    @inlinable
    public mutating func add(_ x: Value) {
        guard x == x else { return }
        if let current = _value, !Order.prefers(x, over: current) { return }
        _value = x
    }

    /// Keeps the more extreme of the two.
    @inlinable
    public mutating func merge(_ other: Self) {
        if let x = other._value { add(x) }
    }
}

extension ExtremumPartial: Equatable where Value: Equatable {}
extension ExtremumPartial: Hashable where Value: Hashable {}

/// A mergeable minimum.
public typealias MinPartial<Value: Comparable & Sendable> = ExtremumPartial<Value, Smallest>

/// A mergeable maximum.
public typealias MaxPartial<Value: Comparable & Sendable> = ExtremumPartial<Value, Largest>
