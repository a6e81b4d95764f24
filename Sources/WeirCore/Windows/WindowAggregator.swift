/// Folds records into a mergeable partial: the "aggregate" of assigner + trigger + aggregate.
///
/// Session windows combine partials with ``MergeableAggregate/merge(_:)`` when a record
/// bridges two sessions, so a partial must merge exactly like the single-pass result.
public protocol WindowAggregator: Sendable {
    /// The value a record carries.
    associatedtype Input
    /// The per-pane state and result.
    associatedtype Partial: MergeableAggregate

    /// Adds one record's value to a pane's partial.
    func add(_ input: Input, to partial: inout Partial)
}

/// Counts records, ignoring their values.
public struct CountAggregator<Input>: WindowAggregator {
    /// A counting aggregator.
    @inlinable
    public init() {}

    /// Counts one record.
    @inlinable
    public func add(_ input: Input, to partial: inout CountPartial) { partial.add() }
}

/// Sums `Int64` values exactly.
public struct Int64SumAggregator: WindowAggregator {
    /// A summing aggregator.
    @inlinable
    public init() {}

    /// Adds one value to the sum.
    @inlinable
    public func add(_ input: Int64, to partial: inout Int64SumPartial) { partial.add(input) }
}

/// An aggregator from a closure: `add` calls it (one indirect call per record).
public struct ClosureAggregator<Input, Partial: MergeableAggregate>: WindowAggregator {
    /// The function folding one value into a partial.
    public let body: @Sendable (Input, inout Partial) -> Void

    /// An aggregator calling `body` per record.
    @inlinable
    public init(_ body: @escaping @Sendable (Input, inout Partial) -> Void) { self.body = body }

    /// Calls the closure with one value.
    @inlinable
    public func add(_ input: Input, to partial: inout Partial) { body(input, &partial) }
}
