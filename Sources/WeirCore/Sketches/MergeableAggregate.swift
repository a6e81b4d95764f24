/// A partial aggregate for two-phase aggregation: each task builds partials, and the sink
/// or the query merges them.
///
/// `merge` must be associative and commutative, and `init()` must be its identity, so that
/// partials can be combined in any grouping and any order. Exact aggregates merge to
/// exactly the single-pass result; each sketch documents what its merge preserves.
///
/// - Complexity: each conformer states the cost of `merge`.
public protocol MergeableAggregate: Sendable {
    /// The empty partial: merging it into any partial leaves that partial unchanged.
    init()

    /// Folds `other` into `self`, as if `self` had also seen every input `other` saw.
    mutating func merge(_ other: Self)
}

extension MergeableAggregate {
    /// `self` merged with `other`, leaving both unchanged.
    @inlinable
    public func merging(_ other: Self) -> Self {
        var result = self
        result.merge(other)
        return result
    }
}

extension Sequence where Element: MergeableAggregate {
    /// All partials merged into one; the identity `Element()` when there are none.
    ///
    /// - Complexity: one `merge` per element.
    @inlinable
    public func mergedAggregate() -> Element {
        reduce(into: Element()) { $0.merge($1) }
    }
}
