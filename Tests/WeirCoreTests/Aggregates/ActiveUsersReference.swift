import WeirCore

/// The obvious active-users implementation the operator is checked against: the full set
/// of accepted (day, user) pairs, every window and cohort recomputed from scratch.
struct ActiveUsersReference {
    let configuration: ActiveUsersConfiguration
    var usersByDay: [Int: Set<String>] = [:]
    var events: [Int: Int64] = [:]
    var firstDay: [String: Int] = [:]
    var latest: Int?
    var lateEvents: Int64 = 0

    init(configuration: ActiveUsersConfiguration) { self.configuration = configuration }

    /// Applies the same lateness rule as the operator and returns its expected outcome.
    mutating func record(day: Int, user: String) -> ActiveUsersOutcome {
        if let latest, day < latest - configuration.allowedLatenessDays {
            lateEvents += 1
            return .refused(ActiveUsersRefusal(
                .tooLate, day: day, latestDay: latest, oldestAcceptedDay: latest - configuration.allowedLatenessDays))
        }
        latest = max(latest ?? day, day)
        events[day, default: 0] += 1
        firstDay[user] = min(firstDay[user] ?? day, day)
        return usersByDay[day, default: []].insert(user).inserted ? .firstActivityOfDay : .repeatActivity
    }

    /// Users active in `first...last`.
    func active(from first: Int, through last: Int) -> Set<String> {
        var result = Set<String>()
        for day in first...last { result.formUnion(usersByDay[day] ?? []) }
        return result
    }

    func report(throughDay: Int? = nil) -> ActiveUsersReport {
        guard let latest, let earliest = events.keys.min() else {
            return ActiveUsersReport(days: [], cohorts: [], lateEvents: lateEvents, outOfRangeEvents: 0)
        }
        let last = max(latest, throughDay ?? latest)
        let windows = configuration.windows
        let days = (earliest...last).map { day in
            ActiveUsersDayRow(
                day: day, events: events[day] ?? 0, dau: Int64(usersByDay[day]?.count ?? 0), windowDays: windows,
                windowCounts: windows.map { Int64(active(from: day - $0 + 1, through: day).count) })
        }
        var cohorts: [ActiveUsersCohortRow] = []
        let members = Dictionary(grouping: firstDay.keys, by: { firstDay[$0]! })
        for cohortDay in earliest...latest {
            guard let users = members[cohortDay] else { continue }
            for age in 0...min(configuration.maxRetentionAge, last - cohortDay) {
                let activeThen = usersByDay[cohortDay + age] ?? []
                cohorts.append(ActiveUsersCohortRow(
                    cohortDay: cohortDay, age: age, users: Int64(users.filter { activeThen.contains($0) }.count)))
            }
        }
        return ActiveUsersReport(days: days, cohorts: cohorts, lateEvents: lateEvents, outOfRangeEvents: 0)
    }
}

/// The first difference between two reports, in words; `nil` when they are equal.
func firstDifference(_ got: ActiveUsersReport, _ want: ActiveUsersReport) -> String? {
    if got.days.count != want.days.count {
        return "\(got.days.count) day rows, want \(want.days.count) (\(got.days.first?.day ?? 0)... vs \(want.days.first?.day ?? 0)...)"
    }
    for (g, w) in zip(got.days, want.days) where g != w { return "day row \(g), want \(w)" }
    if got.cohorts.count != want.cohorts.count { return "\(got.cohorts.count) cohort cells, want \(want.cohorts.count)" }
    for (g, w) in zip(got.cohorts, want.cohorts) where g != w { return "cohort cell \(g), want \(w)" }
    if got.lateEvents != want.lateEvents { return "\(got.lateEvents) late events, want \(want.lateEvents)" }
    if got.outOfRangeEvents != want.outOfRangeEvents { return "\(got.outOfRangeEvents) out-of-range events, want \(want.outOfRangeEvents)" }
    return nil
}
