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
        if age < retentionAges { retention[(cohortDay - baseDay) * retentionAges + age] += delta }
    }

    /// Bytes held by the counters.
    var approximateBytes: Int {
        (events.capacity + dau.capacity + windowDiff.capacity + retention.capacity) * 8
    }
}
