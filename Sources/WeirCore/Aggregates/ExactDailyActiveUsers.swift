/// Exact distinct users per UTC day, plus the event count per day, maintained incrementally.
///
/// State: each distinct user id once (interned to a dense id), and per day a bitmap over
/// those ids in lazily allocated chunks (``DayUserBitmaps``). Alongside the totals it
/// tracks the delta since the last ``drainDelta()`` — the (day, user) pairs first seen and
/// the events per day — which is what a sink must apply to make its rows equal the totals.
///
/// - Complexity: O(length of the user id) per event, amortized.
public struct ExactDailyActiveUsers: Sendable {
    private var users = ByteStringInterner(capacity: 1 << 16)
    private var activity = DayUserBitmaps()
    private var counters: [Counters] = []
    private var baseDay = 0
    /// Distinct (day, user) pairs so far.
    public private(set) var distinctPairs = 0

    private struct Counters: Sendable {
        var dau: Int64 = 0
        var events: Int64 = 0
        var pendingEvents: Int64 = 0
    }

    public init() {}

    /// Distinct users interned so far.
    public var distinctUsers: Int { users.count }
    /// Bytes held by the state's tables, for memory accounting.
    public var approximateBytes: Int {
        users.approximateBytes + activity.approximateBytes + counters.capacity * 24
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
        if activity.insert(day: day, user: users.intern(userId)) {
            counters[slot].dau += 1
            distinctPairs += 1
        }
    }

    /// Counts a batch of events: `userIds[i]` on `days[i]`, the same as recording each in
    /// turn, but with the interner's lookups of the whole batch overlapped (see
    /// ``ByteStringInterner/intern(batch:ids:)``).
    ///
    /// - Complexity: O(total length of the user ids), amortized.
    public mutating func record(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        precondition(days.count == userIds.count, "one day per user id")
        let n = days.count
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { ids in
            users.intern(batch: userIds, ids: ids)
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
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: n) { inserted in
                activity.insert(days: days, users: UnsafeBufferPointer(ids), inserted: inserted)
                var added = 0
                counters.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        let slot = days[i] &- base
                        c[slot].events &+= 1
                        c[slot].pendingEvents &+= 1
                        if inserted[i] {
                            c[slot].dau &+= 1
                            added &+= 1
                        }
                    }
                }
                distinctPairs += added
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
        var pairs: [UInt64] = []
        activity.drainPending { day, user in pairs.append(UInt64(UInt32(truncatingIfNeeded: day)) << 32 | UInt64(user)) }
        return DailyActiveUsersDelta(newPairs: pairs, eventsPerDay: events, users: users)
    }

    /// Whether anything is waiting in the delta.
    public var hasPendingDelta: Bool {
        activity.hasPending || counters.contains { $0.pendingEvents != 0 }
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
