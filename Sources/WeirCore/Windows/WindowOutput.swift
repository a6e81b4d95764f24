/// What a window operator produced for the facts it was given: result rows in order, and
/// the records refused as late. The caller drains it after each call (or reuses it with
/// ``removeAll()`` to keep its storage).
public struct WindowOutput<Key: Hashable & Sendable, Input, Partial: MergeableAggregate> {
    /// Upserts and retractions, in the order the sink must apply them.
    public var emissions: [WindowEmission<Key, Partial>] = []
    /// Records refused because their windows had closed, with the reason.
    public var late: [LateRecord<Key, Input>] = []

    /// An empty output.
    @inlinable
    public init() {}

    /// Empties both lists, keeping their capacity.
    @inlinable
    public mutating func removeAll() {
        emissions.removeAll(keepingCapacity: true)
        late.removeAll(keepingCapacity: true)
    }
}

extension WindowOutput: Sendable where Input: Sendable {}
