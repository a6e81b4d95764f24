/// A point-in-time copy of an ``IntervalJoin``'s state for a checkpoint: its bounds, the
/// watermark, the late counters and every buffered record. `Codable` when the key and
/// values are, so a checkpoint store can encode it.
public struct IntervalJoinSnapshot<Key: Hashable & Sendable, Left, Right> {
    /// The snapshot layout version; bumped when the layout changes.
    public static var currentVersion: Int { 1 }

    /// The layout version this snapshot was written with.
    public var version: Int
    /// X of the join's bounds, ms.
    public var before: Int64
    /// Y of the join's bounds, ms.
    public var after: Int64
    /// The join's allowed lateness, ms.
    public var allowedLateness: Int64
    /// The watermark, ms.
    public var watermark: Int64
    /// Left records refused as late so far.
    public var lateLeftCount: Int
    /// Right records refused as late so far.
    public var lateRightCount: Int
    /// Buffered left records, per key in time order.
    public var left: [JoinRecord<Key, Left>]
    /// Buffered right records, per key in time order.
    public var right: [JoinRecord<Key, Right>]
}

extension IntervalJoin {
    /// A copy of the state for a checkpoint.
    ///
    /// - Complexity: O(n) in the buffered records.
    public func snapshot() -> IntervalJoinSnapshot<Key, Left, Right> {
        var left: [JoinRecord<Key, Left>] = [], right: [JoinRecord<Key, Right>] = []
        left.reserveCapacity(bufferedLeftCount)
        right.reserveCapacity(bufferedRightCount)
        for (key, state) in keys {
            for e in state.left.entries { left.append(JoinRecord(key: key, timestamp: e.timestamp, value: e.value)) }
            for e in state.right.entries { right.append(JoinRecord(key: key, timestamp: e.timestamp, value: e.value)) }
        }
        return IntervalJoinSnapshot(
            version: IntervalJoinSnapshot<Key, Left, Right>.currentVersion, before: bounds.before, after: bounds.after,
            allowedLateness: bounds.allowedLateness, watermark: watermark,
            lateLeftCount: lateLeftCount, lateRightCount: lateRightCount, left: left, right: right)
    }

    /// The join a snapshot was taken of. Throws when the snapshot's layout is unknown or
    /// its bounds differ from `bounds` (changed bounds could emit a pair twice or lose one).
    ///
    /// - Complexity: O(n log n) in the buffered records.
    public init(bounds: IntervalJoinBounds, restoring snapshot: IntervalJoinSnapshot<Key, Left, Right>) throws(JoinSnapshotError) {
        guard snapshot.version == IntervalJoinSnapshot<Key, Left, Right>.currentVersion else {
            throw JoinSnapshotError(.unsupportedVersion, "interval join snapshot version \(snapshot.version)")
        }
        guard snapshot.before == bounds.before, snapshot.after == bounds.after,
              snapshot.allowedLateness == bounds.allowedLateness else {
            throw JoinSnapshotError(.boundsChanged,
                "snapshot bounds [-\(snapshot.before), +\(snapshot.after)] lateness \(snapshot.allowedLateness); join \(bounds)")
        }
        self.init(bounds: bounds, watermark: snapshot.watermark)
        counts.lateLeftCount = snapshot.lateLeftCount
        counts.lateRightCount = snapshot.lateRightCount
        for r in snapshot.left {
            keys[r.key, default: JoinKeyState()].left.insert(r.value, at: r.timestamp)
            evictionQueue.push(r.timestamp, r.key)
        }
        for r in snapshot.right {
            keys[r.key, default: JoinKeyState()].right.insert(r.value, at: r.timestamp)
            evictionQueue.push(r.timestamp, r.key)
        }
        counts.bufferedLeftCount = snapshot.left.count
        counts.bufferedRightCount = snapshot.right.count
    }
}

extension IntervalJoinSnapshot: Sendable where Left: Sendable, Right: Sendable {}
extension IntervalJoinSnapshot: Equatable where Left: Equatable, Right: Equatable {}
extension IntervalJoinSnapshot: Codable where Key: Codable, Left: Codable, Right: Codable {}
