/// Exact distinct users per UTC day, plus the event count per day, maintained incrementally.
///
/// State: each distinct user id once (interned), and one 8-byte key per distinct
/// (day, user) pair. Alongside the totals it tracks the delta since the last
/// ``drainDelta()`` — the (day, user) pairs first seen and the events per day — which is
/// what a sink must apply to make its rows equal the totals.
///
/// Each user also remembers the last (day, user) key it was counted under. Events arrive
/// roughly in time order, so most events repeat that key and skip the (large) pair set;
/// the set is asked only when a user's day changes.
///
/// - Complexity: O(length of the user id) per event, amortized.
public struct ExactDailyActiveUsers: Sendable {
    private var users = ByteStringInterner(capacity: 1 << 16)
    private var pairs = UInt64HashSet(capacity: 1 << 16)
    private var counters: [Counters] = []
    private var baseDay = 0
    private var pendingPairs: [UInt64] = []
    /// `lastPair[id]`: a (day, user) key known to be in `pairs`, or 0.
    private var lastPair: [UInt64] = [0]

    private struct Counters: Sendable {
        var dau: Int64 = 0
        var events: Int64 = 0
        var pendingEvents: Int64 = 0
    }

    public init() {}

    /// Distinct users interned so far.
    public var distinctUsers: Int { users.count }
    /// Distinct (day, user) pairs so far.
    public var distinctPairs: Int { pairs.count }
    /// Bytes held by the state's tables, for memory accounting.
    public var approximateBytes: Int {
        users.approximateBytes + pairs.approximateBytes + counters.capacity * 24 + pendingPairs.capacity * 8
            + lastPair.capacity * 8
    }

    /// Counts one event of `userId` on `day` (days since the epoch).
    @inlinable
    public mutating func record(day: Int, userId: UnsafeBufferPointer<UInt8>) {
        recordInternal(day: day, userId: userId)
    }

    @usableFromInline
    internal mutating func recordInternal(day: Int, userId: UnsafeBufferPointer<UInt8>) {
        let slot = counterSlot(for: day)
        counters[slot].events += 1
        counters[slot].pendingEvents += 1
        let user = users.intern(userId)
        let key = UInt64(UInt32(truncatingIfNeeded: day)) << 32 | UInt64(user)
        if Int(user) >= lastPair.count { lastPair.append(contentsOf: repeatElement(0, count: Int(user) - lastPair.count + 1)) }
        guard lastPair[Int(user)] != key else { return }
        lastPair[Int(user)] = key
        if pairs.insertUnchecked(key) {
            counters[slot].dau += 1
            pendingPairs.append(key)
        }
    }

    /// Counts a batch of events: `userIds[i]` on `days[i]`, the same as recording each in
    /// turn, but with the table lookups of the whole batch overlapped (see
    /// ``ByteStringInterner/intern(batch:ids:)``).
    ///
    /// - Complexity: O(total length of the user ids), amortized.
    public mutating func record(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        precondition(days.count == userIds.count, "one day per user id")
        let n = days.count
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { ids in
            users.intern(batch: userIds, ids: ids)
            let needed = users.count + 1
            if lastPair.count < needed { lastPair.append(contentsOf: repeatElement(0, count: needed - lastPair.count)) }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { keys in
                // Events whose key differs from their user's last one ask the pair set, in order.
                withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { asked in
                    var m = 0
                    lastPair.withUnsafeMutableBufferPointer { last in
                        for i in 0..<n {
                            let id = Int(ids[i])
                            let key = UInt64(UInt32(truncatingIfNeeded: days[i])) << 32 | UInt64(id)
                            if last[id] != key {
                                last[id] = key
                                keys[m] = key
                                asked[m] = i
                                m += 1
                            }
                        }
                    }
                    // Make room for the batch's days once, then count through one buffer.
                    var low = days[0]
                    var high = days[0]
                    for i in 1..<n {
                        low = min(low, days[i])
                        high = max(high, days[i])
                    }
                    _ = counterSlot(for: low)
                    _ = counterSlot(for: high)
                    let base = baseDay
                    withUnsafeTemporaryAllocation(of: Bool.self, capacity: m) { inserted in
                        if m > 0 { pairs.insert(batch: UnsafeBufferPointer(rebasing: keys[0..<m]), inserted: inserted) }
                        counters.withUnsafeMutableBufferPointer { c in
                            for i in 0..<n {
                                c[days[i] - base].events += 1
                                c[days[i] - base].pendingEvents += 1
                            }
                            for j in 0..<m where inserted[j] { c[days[asked[j]] - base].dau += 1 }
                        }
                        for j in 0..<m where inserted[j] { pendingPairs.append(keys[j]) }
                    }
                }
            }
        }
    }

    /// The totals of every day seen, in day order.
    public var totals: [DayTotals] {
        counters.enumerated().compactMap { i, c in
            c.events == 0 ? nil : DayTotals(day: baseDay + i, dau: c.dau, events: c.events)
        }
    }

    /// How many days have events, and the latest of them, without building ``totals``
    /// (for progress lines, once per poll batch).
    ///
    /// - Complexity: O(days spanned).
    public var daySummary: (days: Int, latest: DayTotals?) {
        var days = 0
        var latest: DayTotals?
        for (i, c) in counters.enumerated() where c.events != 0 {
            days += 1
            latest = DayTotals(day: baseDay + i, dau: c.dau, events: c.events)
        }
        return (days, latest)
    }

    /// What changed since the last drain; resets the pending delta.
    public mutating func drainDelta() -> DailyActiveUsersDelta {
        var events: [(day: Int, events: Int64)] = []
        for i in counters.indices where counters[i].pendingEvents != 0 {
            events.append((baseDay + i, counters[i].pendingEvents))
            counters[i].pendingEvents = 0
        }
        let delta = DailyActiveUsersDelta(newPairs: pendingPairs, eventsPerDay: events, users: users)
        pendingPairs.removeAll(keepingCapacity: true)
        return delta
    }

    /// Whether anything is waiting in the delta.
    public var hasPendingDelta: Bool {
        !pendingPairs.isEmpty || counters.contains { $0.pendingEvents != 0 }
    }

    private mutating func counterSlot(for day: Int) -> Int {
        if counters.isEmpty {
            baseDay = day
            counters.append(Counters())
            return 0
        }
        if day < baseDay {
            counters.insert(contentsOf: repeatElement(Counters(), count: baseDay - day), at: 0)
            baseDay = day
            return 0
        }
        let slot = day - baseDay
        if slot >= counters.count {
            counters.append(contentsOf: repeatElement(Counters(), count: slot - counters.count + 1))
        }
        return slot
    }
}

/// The change to apply to a sink so that it matches ``ExactDailyActiveUsers`` totals.
///
/// It holds a copy of the interner (copy-on-write: free unless the state changes while the
/// delta is alive) so user ids can be read after the operator has moved on.
public struct DailyActiveUsersDelta: Sendable {
    fileprivate let newPairs: [UInt64]
    /// Events per day since the last drain.
    public let eventsPerDay: [(day: Int, events: Int64)]
    fileprivate let users: ByteStringInterner

    /// Number of (day, user) pairs first seen since the last drain.
    public var newPairCount: Int { newPairs.count }
    /// Whether there is nothing to apply.
    public var isEmpty: Bool { newPairs.isEmpty && eventsPerDay.isEmpty }

    /// Calls `body` with each new (day, user id bytes) pair.
    public func forEachNewPair(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        for key in newPairs {
            let day = Int(Int32(truncatingIfNeeded: key >> 32))
            try users.withBytes(of: UInt32(truncatingIfNeeded: key)) { try body(day, $0) }
        }
    }
}
