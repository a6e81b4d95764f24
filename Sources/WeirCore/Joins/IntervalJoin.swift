/// An interval join of two co-partitioned keyed streams: emits `(a, b)` for equal keys when
/// `b.ts - before <= a.ts <= b.ts + after`.
///
/// Both sides are buffered per key. Each pair is emitted exactly once, when the second of
/// its two records arrives, whatever the arrival order. The task watermark is passed in
/// with ``advanceWatermark(to:)``; buffered records are evicted as it passes them by the
/// join's ``IntervalJoinBounds/retention``, so state stays bounded. A record too far
/// behind the watermark for all its partners to be buffered goes to the late output with
/// its reason and is counted, never silently dropped.
///
/// One instance belongs to one task; it needs no locks.
public struct IntervalJoin<Key: Hashable & Sendable, Left, Right> {
    /// The time bounds and lateness.
    public let bounds: IntervalJoinBounds
    /// The task watermark, ms: on-time records have a later event time.
    public private(set) var watermark: Int64
    /// Left records refused as late, in total.
    public var lateLeftCount: Int { counts.lateLeftCount }
    /// Right records refused as late, in total.
    public var lateRightCount: Int { counts.lateRightCount }
    /// Left records currently buffered.
    public var bufferedLeftCount: Int { counts.bufferedLeftCount }
    /// Right records currently buffered.
    public var bufferedRightCount: Int { counts.bufferedRightCount }

    @usableFromInline internal var counts = IntervalJoinCounts()
    @usableFromInline internal var keys: [Key: JoinKeyState<Left, Right>] = [:]
    @usableFromInline internal var evictionQueue = JoinEvictionQueue<Key>()
    /// Left records at or before this time are late.
    @usableFromInline internal var leftLateThrough: Int64
    /// Right records at or before this time are late.
    @usableFromInline internal var rightLateThrough: Int64
    /// Buffered records at or before this time are evicted.
    @usableFromInline internal var evictThrough: Int64

    /// An empty join that has seen no watermark yet.
    public init(bounds: IntervalJoinBounds, watermark: Int64 = .min) {
        self.bounds = bounds
        self.watermark = watermark
        leftLateThrough = JoinTime.minus(watermark, bounds.leftSlack)
        rightLateThrough = JoinTime.minus(watermark, bounds.rightSlack)
        evictThrough = JoinTime.minus(watermark, bounds.retention)
    }

    /// Buffered records, both sides.
    public var bufferedCount: Int { bufferedLeftCount + bufferedRightCount }

    /// Keys that hold at least one buffered record.
    public var keyCount: Int { keys.count }

    /// Joins a batch of left records against the buffered right records, then buffers them.
    ///
    /// - Complexity: O(log n + m) per record, n buffered right records of its key, m matches.
    @inlinable
    public mutating func processLeft(
        _ batch: some Sequence<JoinRecord<Key, Left>>,
        into output: inout IntervalJoinOutput<Key, Left, Right>
    ) {
        let lateThrough = leftLateThrough
        let horizon = evictThrough
        let before = bounds.before, after = bounds.after
        for record in batch {
            let ts = record.timestamp
            guard ts > lateThrough else {
                counts.lateLeftCount &+= 1
                output.late.append(JoinLateRecord(record: .left(record), reason: JoinLateReason(
                    code: .behindJoinHorizon, side: .left, timestamp: ts, watermark: watermark, slack: bounds.leftSlack)))
                continue
            }
            let key = record.key
            let value = record.value
            keys[key, default: JoinKeyState()].withLeft { buffer, partners in
                partners.forEach(from: JoinTime.minus(ts, after), through: JoinTime.plus(ts, before)) { rts, right in
                    output.matches.append(IntervalJoinMatch(
                        key: key, left: value, leftTimestamp: ts, right: right, rightTimestamp: rts))
                }
                // With a negative bound a record may be accepted that no future record
                // can join: it is matched but not kept.
                if ts > horizon { buffer.insert(value, at: ts) }
            }
            if ts > horizon {
                counts.bufferedLeftCount &+= 1
                evictionQueue.push(ts, key)
            } else if keys[key]?.isEmpty == true {
                keys[key] = nil
            }
        }
    }

    /// Joins a batch of right records against the buffered left records, then buffers them.
    ///
    /// - Complexity: O(log n + m) per record, n buffered left records of its key, m matches.
    @inlinable
    public mutating func processRight(
        _ batch: some Sequence<JoinRecord<Key, Right>>,
        into output: inout IntervalJoinOutput<Key, Left, Right>
    ) {
        let lateThrough = rightLateThrough
        let horizon = evictThrough
        let before = bounds.before, after = bounds.after
        for record in batch {
            let ts = record.timestamp
            guard ts > lateThrough else {
                counts.lateRightCount &+= 1
                output.late.append(JoinLateRecord(record: .right(record), reason: JoinLateReason(
                    code: .behindJoinHorizon, side: .right, timestamp: ts, watermark: watermark, slack: bounds.rightSlack)))
                continue
            }
            let key = record.key
            let value = record.value
            keys[key, default: JoinKeyState()].withRight { buffer, partners in
                partners.forEach(from: JoinTime.minus(ts, before), through: JoinTime.plus(ts, after)) { lts, left in
                    output.matches.append(IntervalJoinMatch(
                        key: key, left: left, leftTimestamp: lts, right: value, rightTimestamp: ts))
                }
                // With a negative bound a record may be accepted that no future record
                // can join: it is matched but not kept.
                if ts > horizon { buffer.insert(value, at: ts) }
            }
            if ts > horizon {
                counts.bufferedRightCount &+= 1
                evictionQueue.push(ts, key)
            } else if keys[key]?.isEmpty == true {
                keys[key] = nil
            }
        }
    }

    /// Moves the watermark forward and evicts every buffered record no future accepted
    /// record can join with. A watermark that is not ahead of the current one is ignored.
    ///
    /// - Complexity: O(log n) per evicted record.
    @discardableResult
    public mutating func advanceWatermark(to newWatermark: Int64) -> IntervalJoinWatermarkAction {
        guard newWatermark > watermark else { return .ignored(current: watermark) }
        watermark = newWatermark
        leftLateThrough = JoinTime.minus(newWatermark, bounds.leftSlack)
        rightLateThrough = JoinTime.minus(newWatermark, bounds.rightSlack)
        let horizon = JoinTime.minus(newWatermark, bounds.retention)
        evictThrough = horizon
        var evictedLeft = 0, evictedRight = 0
        while let key = evictionQueue.pop(through: horizon) {
            guard let index = keys.index(forKey: key) else { continue }
            var emptied = false
            keys.values[index].evict(through: horizon, left: &evictedLeft, right: &evictedRight, emptied: &emptied)
            if emptied { keys.remove(at: index) }
        }
        counts.bufferedLeftCount -= evictedLeft
        counts.bufferedRightCount -= evictedRight
        return .advanced(evictedLeft: evictedLeft, evictedRight: evictedRight)
    }
}

/// What ``IntervalJoin/advanceWatermark(to:)`` did.
public enum IntervalJoinWatermarkAction: Sendable, Equatable {
    /// The watermark was not ahead of the current one, which is kept.
    case ignored(current: Int64)
    /// The watermark moved; this many buffered records were evicted per side.
    case advanced(evictedLeft: Int, evictedRight: Int)
}

extension JoinKeyState {
    /// Gives `body` the left buffer to insert into and the right one to match against.
    @inlinable
    mutating func withLeft(_ body: (inout JoinBuffer<Left>, borrowing JoinBuffer<Right>) -> Void) {
        body(&left, right)
    }

    /// Gives `body` the right buffer to insert into and the left one to match against.
    @inlinable
    mutating func withRight(_ body: (inout JoinBuffer<Right>, borrowing JoinBuffer<Left>) -> Void) {
        body(&right, left)
    }

    /// Evicts both sides through `horizon`, adding the counts.
    @inlinable
    mutating func evict(through horizon: Int64, left evictedLeft: inout Int, right evictedRight: inout Int, emptied: inout Bool) {
        evictedLeft += left.evict(through: horizon)
        evictedRight += right.evict(through: horizon)
        emptied = isEmpty
    }
}

/// The counters of an ``IntervalJoin``.
@usableFromInline
internal struct IntervalJoinCounts: Sendable, Equatable {
    @usableFromInline var lateLeftCount = 0
    @usableFromInline var lateRightCount = 0
    @usableFromInline var bufferedLeftCount = 0
    @usableFromInline var bufferedRightCount = 0

    @inlinable
    init() {}
}

extension IntervalJoin: Sendable where Left: Sendable, Right: Sendable {}
