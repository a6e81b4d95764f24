/// One day of an ``ActiveUsers`` result.
public struct ActiveUsersDayRow: Sendable, Equatable, Hashable {
    /// Days since 1970-01-01 (UTC).
    public var day: Int
    /// Accepted events on the day (repeats included).
    public var events: Int64
    /// Distinct users active on the day.
    public var dau: Int64
    /// The configured window lengths, in days (shared by every row of a report).
    public var windowDays: [Int]
    /// `windowCounts[i]`: distinct users active in the `windowDays[i]` days ending on `day`.
    public var windowCounts: [Int64]

    /// A row with its counts.
    public init(day: Int, events: Int64, dau: Int64, windowDays: [Int], windowCounts: [Int64]) {
        self.day = day
        self.events = events
        self.dau = dau
        self.windowDays = windowDays
        self.windowCounts = windowCounts
    }

    /// Distinct users active in the `days` days ending on ``day``; `nil` when that window
    /// is not configured.
    public func activeUsers(overLast days: Int) -> Int64? {
        windowDays.firstIndex(of: days).map { windowCounts[$0] }
    }

    /// Weekly active users (the 7-day window), when configured.
    public var wau: Int64? { activeUsers(overLast: 7) }
    /// Monthly active users (the 30-day window), when configured.
    public var mau: Int64? { activeUsers(overLast: 30) }
}

/// One cell of a retention table: of the users first seen on `cohortDay`, how many were
/// active `age` days later.
public struct ActiveUsersCohortRow: Sendable, Equatable, Hashable {
    /// The day the cohort's users were first seen (days since 1970-01-01, UTC).
    public var cohortDay: Int
    /// Days after `cohortDay`; age 0 is the cohort's size.
    public var age: Int
    /// Users of the cohort active on `cohortDay + age`.
    public var users: Int64

    /// A cell with its count.
    public init(cohortDay: Int, age: Int, users: Int64) {
        self.cohortDay = cohortDay
        self.age = age
        self.users = users
    }
}

/// The readable result of an ``ActiveUsers`` operator: one row per day and the retention
/// table, plus the refused-event counts.
///
/// Reports of operators that saw **disjoint sets of users** (tasks partitioned by user)
/// merge by summing, as the design's two-phase aggregation requires; summing reports whose
/// users overlap would count those users twice. Build each report through the same last
/// day (``ActiveUsers/report(throughDay:)``) so every day and cohort cell is present.
public struct ActiveUsersReport: MergeableAggregate, Equatable {
    /// Per-day rows, in day order, from the first active day through the report's last day.
    public var days: [ActiveUsersDayRow]
    /// Retention cells of every non-empty cohort, ordered by cohort day then age.
    public var cohorts: [ActiveUsersCohortRow]
    /// Events refused as older than the allowed lateness.
    public var lateEvents: Int64
    /// Events refused because their day was out of the representable range.
    public var outOfRangeEvents: Int64

    /// The empty report, identity of ``merge(_:)``.
    public init() {
        days = []
        cohorts = []
        lateEvents = 0
        outOfRangeEvents = 0
    }

    /// A report with the given rows and refusal counts.
    public init(days: [ActiveUsersDayRow], cohorts: [ActiveUsersCohortRow], lateEvents: Int64, outOfRangeEvents: Int64) {
        self.days = days
        self.cohorts = cohorts
        self.lateEvents = lateEvents
        self.outOfRangeEvents = outOfRangeEvents
    }

    /// Adds `other`'s counts to this report's, day by day and cell by cell. Both must come
    /// from operators with the same windows over disjoint users.
    ///
    /// - Complexity: O((d + c) log(d + c)) for d day rows and c cohort cells.
    public mutating func merge(_ other: ActiveUsersReport) {
        var dayIndex: [Int: Int] = [:]
        for (i, row) in days.enumerated() { dayIndex[row.day] = i }
        for row in other.days {
            if let i = dayIndex[row.day] {
                precondition(days[i].windowDays == row.windowDays, "merging reports with different windows")
                days[i].events += row.events
                days[i].dau += row.dau
                for w in row.windowCounts.indices { days[i].windowCounts[w] += row.windowCounts[w] }
            } else {
                dayIndex[row.day] = days.count
                days.append(row)
            }
        }
        days.sort { $0.day < $1.day }

        struct Cell: Hashable { var day: Int; var age: Int }
        var cellIndex: [Cell: Int] = [:]
        for (i, row) in cohorts.enumerated() { cellIndex[Cell(day: row.cohortDay, age: row.age)] = i }
        for row in other.cohorts {
            if let i = cellIndex[Cell(day: row.cohortDay, age: row.age)] {
                cohorts[i].users += row.users
            } else {
                cellIndex[Cell(day: row.cohortDay, age: row.age)] = cohorts.count
                cohorts.append(row)
            }
        }
        cohorts.sort { ($0.cohortDay, $0.age) < ($1.cohortDay, $1.age) }
        lateEvents += other.lateEvents
        outOfRangeEvents += other.outOfRangeEvents
    }
}
