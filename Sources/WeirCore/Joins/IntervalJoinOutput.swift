/// Where an ``IntervalJoin`` appends its results: the joined pairs and the late records.
/// A caller reuses one output across batches and drains it after each.
public struct IntervalJoinOutput<Key: Hashable & Sendable, Left, Right> {
    /// Joined pairs, in emission order.
    public var matches: [IntervalJoinMatch<Key, Left, Right>]
    /// Refused records with their reasons, in arrival order.
    public var late: [JoinLateRecord<Key, Left, Right>]

    /// An empty output.
    @inlinable
    public init() {
        matches = []
        late = []
    }

    /// Empties both buffers, keeping their capacity.
    @inlinable
    public mutating func removeAll() {
        matches.removeAll(keepingCapacity: true)
        late.removeAll(keepingCapacity: true)
    }
}

extension IntervalJoinOutput: Sendable where Left: Sendable, Right: Sendable {}
