extension ActiveUsers {
    /// DAU and accepted events of one day, read straight from the counters (`nil` for a day
    /// outside them): what a progress line needs, without building a report.
    public func totals(day: Int) -> DayTotals? {
        guard let counters else { return nil }
        let i = day - counters.baseDay
        guard i >= 0, i < counters.events.count else { return nil }
        return DayTotals(day: day, dau: counters.dau[i], events: counters.events[i])
    }

    /// The per-day rows and retention cells, from the first active day through
    /// `throughDay` (default: the latest day seen; a later day adds rows whose windows
    /// still count recent users, so reports of several tasks line up before merging).
    ///
    /// - Complexity: O(d × (windows + retention ages)) for d days.
    public func report(throughDay: Int? = nil) -> ActiveUsersReport {
        report(fromDay: Int.min, throughDay: throughDay)
    }

    /// Like ``report(throughDay:)``, but only the day rows with `day >= fromDay` and the
    /// cohort rows with `cohortDay >= fromDay` (window counts are still summed from the
    /// first day): what a sink upserts for the days ``drainChangedDays()`` returned.
    ///
    /// - Complexity: O(days before `fromDay` × windows) plus O(d × (windows + retention
    ///   ages)) for the d days reported.
    public func report(fromDay: Int, throughDay: Int? = nil) -> ActiveUsersReport {
        guard let counters else {
            return ActiveUsersReport(days: [], cohorts: [], lateEvents: lateEvents, outOfRangeEvents: outOfRangeEvents)
        }
        let last = max(latest, throughDay ?? latest)
        let windows = configuration.windows
        let stride = windows.count
        var days: [ActiveUsersDayRow] = []
        let first = max(earliest, fromDay)
        days.reserveCapacity(max(0, last - first + 1))
        var running = [Int64](repeating: 0, count: stride)
        for day in counters.baseDay...last {
            let i = day - counters.baseDay
            if (i + 1) * stride <= counters.windowDiff.count {
                for w in 0..<stride { running[w] += counters.windowDiff[i * stride + w] }
            }
            guard day >= first else { continue }
            let known = i < counters.events.count
            days.append(ActiveUsersDayRow(
                day: day, events: known ? counters.events[i] : 0, dau: known ? counters.dau[i] : 0,
                windowDays: windows, windowCounts: running))
        }

        var cohorts: [ActiveUsersCohortRow] = []
        let ages = counters.retentionAges
        for cohortDay in Swift.stride(from: first, through: latest, by: 1) {
            let row = (cohortDay - counters.baseDay) * ages
            guard counters.retention[row] > 0 else { continue }
            for age in 0..<min(ages, last - cohortDay + 1) {
                cohorts.append(ActiveUsersCohortRow(cohortDay: cohortDay, age: age, users: counters.retention[row + age]))
            }
        }
        return ActiveUsersReport(days: days, cohorts: cohorts, lateEvents: lateEvents, outOfRangeEvents: outOfRangeEvents)
    }

    /// Distinct users active in the `days` days ending on `endDay`, for any window length,
    /// counted by scanning every user's bitmap. `nil` when the window reaches before the
    /// bitmaps' horizon (`latestDay - 63`) or `days` is not in `1...64`.
    ///
    /// - Complexity: O(users).
    public func activeUsers(overLast days: Int, endingOn endDay: Int) -> Int64? {
        guard counters != nil else { return 0 }
        let firstDay = endDay - days + 1
        guard (1...ActiveUsersConfiguration.bitmapDays).contains(days),
            firstDay >= latest - (ActiveUsersConfiguration.bitmapDays - 1)
        else { return nil }
        var count: Int64 = 0
        for user in activity {
            let lastDay = Int(user.lastDay)
            let newest = max(lastDay - endDay, 0)  // bit index of the window's last day, clipped
            let oldest = lastDay - firstDay  // bit index of the window's first day
            guard oldest >= 0, newest <= 63 else { continue }
            let width = min(oldest, 63) - newest + 1
            let mask = (width == 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1) << UInt64(newest)
            if user.bits & mask != 0 { count += 1 }
        }
        return count
    }
}
