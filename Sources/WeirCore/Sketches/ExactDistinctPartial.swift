/// A mergeable, exact set of distinct values.
///
/// It stores the values themselves (use `[UInt8]` for byte strings such as user ids, or
/// `Int64`), never fingerprints: a set of 64-bit hashes would undercount on a collision,
/// so it would not be exact. Merging is set union, so merged partials give exactly the
/// single-pass count even when partials overlap. Summing the *counts* of partials is
/// only correct when every value lives in exactly one partial (see DESIGN.md, Aggregates).
///
/// - Complexity: amortized O(1) add; merge is O(n) in the smaller set; memory O(n)
///   in the number of distinct values.
public struct ExactDistinctPartial<Value: Hashable & Sendable>: MergeableAggregate, Hashable {
    /// The distinct values seen.
    public var values: Set<Value> { _values }

    @usableFromInline internal var _values: Set<Value>

    /// An empty set.
    public init() { _values = [] }

    /// The number of distinct values seen.
    public var count: Int { _values.count }

    /// Adds a value; returns `true` when it was not seen before.
    @inlinable
    @discardableResult
    public mutating func add(_ value: Value) -> Bool { _values.insert(value).inserted }

    /// Takes the union with the other partial.
    public mutating func merge(_ other: ExactDistinctPartial<Value>) {
        if _values.count < other._values.count {
            var larger = other._values
            larger.formUnion(_values)
            _values = larger
        } else {
            _values.formUnion(other._values)
        }
    }
}
