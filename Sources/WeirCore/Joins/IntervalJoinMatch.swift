/// One joined pair from an ``IntervalJoin``: a left and a right record of the same key
/// whose times satisfy the join's bounds.
public struct IntervalJoinMatch<Key: Hashable & Sendable, Left, Right> {
    /// The shared key.
    public var key: Key
    /// The left record's value.
    public var left: Left
    /// The left record's event time, ms.
    public var leftTimestamp: Int64
    /// The right record's value.
    public var right: Right
    /// The right record's event time, ms.
    public var rightTimestamp: Int64

    /// A pair.
    @inlinable
    public init(key: Key, left: Left, leftTimestamp: Int64, right: Right, rightTimestamp: Int64) {
        self.key = key
        self.left = left
        self.leftTimestamp = leftTimestamp
        self.right = right
        self.rightTimestamp = rightTimestamp
    }

    /// The pair's event time: the later of the two, so downstream watermarks stay valid.
    @inlinable
    public var timestamp: Int64 { max(leftTimestamp, rightTimestamp) }
}

extension IntervalJoinMatch: Sendable where Left: Sendable, Right: Sendable {}
extension IntervalJoinMatch: Equatable where Left: Equatable, Right: Equatable {}
