/// Exact active users per UTC day — DAU and any N-day rolling window such as WAU and MAU —
/// plus retention cohorts, maintained incrementally from a stream of (day, user) events.
///
/// The operator is keyed by user. Each user has 16 bytes of state: a 64-day activity
/// bitmap (bit `i` is day `lastDay - i`), the last and the first day the user was active.
/// The ids themselves are interned once (``ByteStringInterner``). An event:
///
/// - **repeats** a known active day: one id lookup, one bit test, return — O(1);
/// - sets a **new active day**: adds 1 to the day's DAU and, for each window of N days,
///   to the window counts of the days it newly covers — found from the nearest earlier and
///   later active days with two bit scans, applied to a difference array — plus 1 to the
///   user's cohort at the right age; O(number of windows);
/// - is **late** (more than ``ActiveUsersConfiguration/allowedLatenessDays`` before the
///   latest day seen): refused with a reason and counted, never silently dropped. Within
///   that horizon out-of-order events count exactly; when one moves a user's first day
///   earlier, the user's retention cells move to the new cohort.
///
/// The result is read with ``report(throughDay:)``. Operators over disjoint users (tasks
/// partitioned by user) merge by summing their reports.
///
/// State per user is measured by ``userStateBytes`` and ``bytesPerUser``: about
/// 16 bytes of activity plus the interned id (its bytes, a 4-byte offset and an 8-byte
/// hash-table slot at a load of up to 3/4), 40–60 bytes for ids of about 10 bytes.
///
/// - Complexity: amortized O(length of the user id) per event; O(windows) more when the
///   event is the user's first of its day.
public struct ActiveUsers: Sendable {
    /// The windows, lateness and retention this operator counts.
    public let configuration: ActiveUsersConfiguration

    /// Days from the first accepted day to the latest that the counters may span.
    public static let maxSpanDays = 36_600

    @usableFromInline internal var users = ByteStringInterner(capacity: 1024)
    /// `activity[id - 1]` is the state of interned user `id`.
    @usableFromInline internal var activity: [UserActivity] = []
    internal var counters: ActiveUsersDayCounters?
    /// The latest accepted day; meaningless while `counters` is nil.
    internal var latest = 0
    /// The earliest accepted day.
    internal var earliest = 0

    /// Events counted so far.
    public internal(set) var acceptedEvents: Int64 = 0
    /// Events refused as older than the allowed lateness.
    public internal(set) var lateEvents: Int64 = 0
    /// Events refused because their day was outside the span the counters can hold.
    public internal(set) var outOfRangeEvents: Int64 = 0

    /// Users changed since the last checkpoint payload (see `ActiveUsers+Checkpoint.swift`).
    internal var dirtyUsers = ActiveUsersDirtyUsers()
    /// ``lateEvents`` and ``outOfRangeEvents`` when the last checkpoint payload was taken.
    internal var refusalsAtCheckpoint: (late: Int64, outOfRange: Int64) = (0, 0)

    /// The per-user state: 16 bytes.
    @usableFromInline
    internal struct UserActivity: Sendable {
        /// Bit `i` set: the user was active on `lastDay - i`.
        @usableFromInline var bits: UInt64
        @usableFromInline var lastDay: Int32
        @usableFromInline var firstDay: Int32
    }

    /// An operator with the given configuration (by default DAU, WAU, MAU; 34 days of
    /// allowed lateness; 30 days of retention).
    public init(configuration: ActiveUsersConfiguration = ActiveUsersConfiguration()) {
        self.configuration = configuration
    }

    /// The latest day accepted so far (days since 1970-01-01), `nil` before any event.
    public var latestDay: Int? { counters == nil ? nil : latest }
    /// The oldest day an event may have now and still be counted, `nil` before any event.
    public var oldestAcceptedDay: Int? { counters == nil ? nil : latest - configuration.allowedLatenessDays }
    /// Distinct users seen.
    public var distinctUsers: Int { activity.count }

    /// Bytes held for users: interned ids, their hash table and their activity state.
    public var userStateBytes: Int { users.approximateBytes + activity.capacity * MemoryLayout<UserActivity>.stride }
    /// Bytes held by the whole state, per-day counters included.
    public var approximateBytes: Int { userStateBytes + (counters?.approximateBytes ?? 0) }
    /// ``approximateBytes`` divided by the number of users (0 when there are none).
    public var bytesPerUser: Double { activity.isEmpty ? 0 : Double(approximateBytes) / Double(activity.count) }

    /// Counts one event of `userId` on `day` (days since 1970-01-01, UTC).
    ///
    /// - Returns: whether it was a new active day, a repeat, or refused (and why).
    /// - Complexity: amortized O(`userId.count`), plus O(windows) for a new active day.
    @discardableResult
    public mutating func record(day: Int, userId: UnsafeBufferPointer<UInt8>) -> ActiveUsersOutcome {
        if counters == nil {
            guard let refusal = start(day: day) else { return recordAccepted(day: day, userId: userId) }
            return .refused(refusal)
        }
        if day > latest {
            if let refusal = advance(to: day) { return .refused(refusal) }
        } else if day < latest - configuration.allowedLatenessDays {
            lateEvents += 1
            return .refused(ActiveUsersRefusal(
                .tooLate, day: day, latestDay: latest, oldestAcceptedDay: latest - configuration.allowedLatenessDays))
        }
        return recordAccepted(day: day, userId: userId)
    }

    internal mutating func start(day: Int) -> ActiveUsersRefusal? {
        let lateness = configuration.allowedLatenessDays
        guard day - lateness > Int(Int32.min) / 2, day + Self.maxSpanDays < Int(Int32.max) / 2 else {
            outOfRangeEvents += 1
            return ActiveUsersRefusal(.dayOutOfRange, day: day, latestDay: Int(Int32.max) / 2, oldestAcceptedDay: Int(Int32.min) / 2)
        }
        var fresh = ActiveUsersDayCounters(baseDay: day - lateness, configuration: configuration)
        fresh.extend(through: day)
        counters = fresh
        latest = day
        earliest = day
        return nil
    }

    internal mutating func advance(to day: Int) -> ActiveUsersRefusal? {
        let base = latest - configuration.allowedLatenessDays
        guard let baseDay = counters?.baseDay, day - baseDay <= Self.maxSpanDays else {
            outOfRangeEvents += 1
            return ActiveUsersRefusal(.dayOutOfRange, day: day, latestDay: (counters?.baseDay ?? base) + Self.maxSpanDays, oldestAcceptedDay: base)
        }
        counters!.extend(through: day)
        // New rows from the old latest day on, and cohorts young enough to gain an age.
        counters!.markChanged(from: min(latest + 1, latest - configuration.maxRetentionAge + 1) - baseDay)
        latest = day
        return nil
    }

    /// Counts an event whose day lies within the counters' span and the lateness horizon.
    private mutating func recordAccepted(day: Int, userId: UnsafeBufferPointer<UInt8>) -> ActiveUsersOutcome {
        recordAccepted(day: day, id: Int(users.intern(userId)))
    }

    /// Counts an accepted event of the interned user `id`.
    internal mutating func recordAccepted(day: Int, id: Int) -> ActiveUsersOutcome {
        acceptedEvents += 1
        counters!.countEvent(day: day)
        if day < earliest { earliest = day }
        if id > activity.count {
            if activity.count == activity.capacity {
                // Grow by a quarter rather than doubling: this array is most of the state.
                activity.reserveCapacity(activity.count + activity.count / 4 + 64)
            }
            activity.append(UserActivity(bits: 1, lastDay: Int32(day), firstDay: Int32(day)))
            counters!.addActiveDay(day, previous: nil, next: nil)
            counters!.addRetention(cohortDay: day, activeDay: day, 1)
            return .firstActivityOfDay
        }
        var user = activity[id - 1]
        let lastDay = Int(user.lastDay)
        var previous: Int?
        var next: Int?
        if day > lastDay {
            let shift = day - lastDay
            let older = shift >= 64 ? 0 : user.bits << UInt64(shift)
            if older != 0 { previous = day - older.trailingZeroBitCount }
            user.bits = older | 1
            user.lastDay = Int32(day)
        } else {
            // lastDay - day <= allowed lateness < 64: the bit is in the bitmap.
            let index = lastDay - day
            let bit = UInt64(1) << UInt64(index)
            if user.bits & bit != 0 { return .repeatActivity }
            let older = index == 63 ? 0 : user.bits >> UInt64(index + 1)
            if older != 0 { previous = day - 1 - older.trailingZeroBitCount }
            let newer = user.bits & (bit &- 1)
            if newer != 0 { next = lastDay - (63 - newer.leadingZeroBitCount) }
            if day < Int(user.firstDay) { moveCohort(of: user, to: day) }
            user.bits |= bit
        }
        counters!.addActiveDay(day, previous: previous, next: next)
        if day < Int(user.firstDay) { user.firstDay = Int32(day) }
        counters!.addRetention(cohortDay: Int(user.firstDay), activeDay: day, 1)
        activity[id - 1] = user
        dirtyUsers.mark(id)
        return .firstActivityOfDay
    }

    /// Moves a user's retention cells from its current cohort to the earlier `cohortDay`.
    ///
    /// Every active day of the user since its old first day is still in the bitmap: that
    /// day is after `cohortDay`, which is within the allowed lateness of the latest day.
    private mutating func moveCohort(of user: UserActivity, to cohortDay: Int) {
        let oldCohort = Int(user.firstDay)
        var bits = user.bits
        while bits != 0 {
            let activeDay = Int(user.lastDay) - bits.trailingZeroBitCount
            bits &= bits &- 1
            counters!.addRetention(cohortDay: oldCohort, activeDay: activeDay, -1)
            counters!.addRetention(cohortDay: cohortDay, activeDay: activeDay, 1)
        }
    }
}
