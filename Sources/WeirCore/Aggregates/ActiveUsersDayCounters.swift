/// The per-day counters of an ``ActiveUsers`` operator, indexed by `day - baseDay`.
///
/// Window counts are kept as a difference array (`+1` where a user's coverage of a window
/// starts, `-1` after it ends), so each new active day updates each window in O(1) and a
/// count is a prefix sum, taken when a report is read.
struct ActiveUsersDayCounters: Sendable {
    /// The day of index 0: the first accepted day minus the allowed lateness, so no
    /// accepted event can fall before it.
    let baseDay: Int
    let windows: [Int]
    let retentionAges: Int  // maxRetentionAge + 1
    /// Accepted events per day.
    var events: [Int64] = []
    /// Distinct active users per day.
    var dau: [Int64] = []
    /// `windowDiff[i * windows.count + w]`: the change of window `w`'s count at day `baseDay + i`.
    var windowDiff: [Int64] = []
    /// `retention[i * retentionAges + age]`: users first seen on `baseDay + i` active `age` days later.
    var retention: [Int64] = []

    /// The lowest day index whose events, DAU, window differences or cohort row changed
    /// since ``takeCheckpointFrom()`` or ``takeChangedFrom()`` last ran (`Int.max`: none).
    /// The hot path only lowers it; the two takers fold it into their own pending marks.
    private(set) var touched = Int.max
    /// Lowest index changed and not yet taken by ``takeCheckpointFrom()``, besides ``touched``.
    private var pendingCheckpoint = Int.max
    /// Lowest index changed and not yet taken by ``takeChangedFrom()``, besides ``touched``.
    private var pendingChanged = Int.max

    init(baseDay: Int, configuration: ActiveUsersConfiguration) {
        self.baseDay = baseDay
        self.windows = configuration.windows
        self.retentionAges = configuration.maxRetentionAge + 1
    }

    /// Makes room for every day through `latestDay` (and its windows' ends).
    mutating func extend(through latestDay: Int) {
        let days = latestDay - baseDay + 1
        guard days > events.count else { return }
        let more = days - events.count
        events.append(contentsOf: repeatElement(0, count: more))
        dau.append(contentsOf: repeatElement(0, count: more))
        retention.append(contentsOf: repeatElement(0, count: more * retentionAges))
        let diffDays = days + (windows.last ?? 0) + 1
        windowDiff.append(contentsOf: repeatElement(0, count: diffDays * windows.count - windowDiff.count))
    }

    /// Counts one accepted event on `day`.
    @inline(__always)
    mutating func countEvent(day: Int) {
        let i = day - baseDay
        events[i] += 1
        touch(i)
    }

    /// Lowers ``touched`` to `i`.
    @inline(__always)
    mutating func touch(_ i: Int) {
        if i < touched { touched = i }
    }

    /// Marks the report rows from index `i` on as changed without dirtying the state
    /// (new days appended, cohorts gaining an age column).
    mutating func markChanged(from i: Int) {
        pendingChanged = min(pendingChanged, max(i, 0))
    }

    /// Whether anything changed since the last ``takeCheckpointFrom()``.
    var hasUncheckpointedChanges: Bool { min(touched, pendingCheckpoint) != Int.max }

    /// The lowest index changed since the last call (`nil`: none), and forgets it.
    mutating func takeCheckpointFrom() -> Int? {
        let from = min(touched, pendingCheckpoint)
        pendingChanged = min(pendingChanged, touched)
        touched = Int.max
        pendingCheckpoint = Int.max
        return from == Int.max ? nil : from
    }

    /// The lowest index whose report rows may have changed since the last call (`nil`:
    /// none), and forgets it.
    mutating func takeChangedFrom() -> Int? {
        let from = min(touched, pendingChanged)
        pendingCheckpoint = min(pendingCheckpoint, touched)
        touched = Int.max
        pendingChanged = Int.max
        return from == Int.max ? nil : from
    }

    /// Forgets every change mark (after a restore).
    mutating func clearMarks() {
        touched = Int.max
        pendingCheckpoint = Int.max
        pendingChanged = Int.max
    }

    /// Counts a user's new active day `day`, given the nearest earlier and later days the
    /// user was active (within the bitmap), for DAU and every window.
    ///
    /// A window of N days ending on `e` counts the user when the user was active in
    /// `e-N+1...e`. The new day covers `e` in `day...day+N-1`; of those, the ones already
    /// covered are `e <= previous+N-1` and `e >= next`, so only the gap between changes.
    ///
    /// - Complexity: O(number of windows).
    @inline(__always)
    mutating func addActiveDay(_ day: Int, previous: Int?, next: Int?) {
        let i = day - baseDay
        dau[i] += 1
        touch(i)
        let stride = windows.count
        windowDiff.withUnsafeMutableBufferPointer { diff in
            for w in 0..<stride {
                let n = windows[w]
                var start = day
                if let previous, previous + n > start { start = previous + n }
                var end = day + n - 1
                if let next, next - 1 < end { end = next - 1 }
                if start <= end {
                    diff[(start - baseDay) * stride + w] += 1
                    diff[(end + 1 - baseDay) * stride + w] -= 1
                }
            }
        }
    }

    /// Adds `delta` users to the cohort of `cohortDay` at the given age, when tracked.
    @inline(__always)
    mutating func addRetention(cohortDay: Int, activeDay: Int, _ delta: Int64) {
        let age = activeDay - cohortDay
        if age < retentionAges {
            let i = cohortDay - baseDay
            retention[i * retentionAges + age] += delta
            touch(i)
        }
    }

    /// Bytes held by the counters.
    var approximateBytes: Int {
        (events.capacity + dau.capacity + windowDiff.capacity + retention.capacity) * 8
    }
}
