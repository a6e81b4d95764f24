import Testing
import WeirCore

/// ``ActiveUsers`` against ``ActiveUsersReference`` on random out-of-order streams, plus
/// its edge cases and its measured memory per user.
struct ActiveUsersTests {
    func record(_ state: inout ActiveUsers, day: Int, user: String) -> ActiveUsersOutcome {
        Array(user.utf8).withUnsafeBufferPointer { state.record(day: day, userId: $0) }
    }

    static let configurations: [ActiveUsersConfiguration] = [
        ActiveUsersConfiguration(),
        try! ActiveUsersConfiguration(windows: [1, 2, 5, 13], allowedLatenessDays: 9, maxRetentionAge: 6),
        try! ActiveUsersConfiguration(windows: [3, 64], maxRetentionAge: 70),
        try! ActiveUsersConfiguration(windows: [7, 28], allowedLatenessDays: 36, maxRetentionAge: 0),
    ]

    /// A stream whose day drifts forward with out-of-order jitter, some of it beyond the
    /// lateness horizon, users returning after gaps longer than the bitmap, and a skewed
    /// user population.
    @Test(arguments: [UInt64(0xA11C_E001), 0xA11C_E002, 0xA11C_E003, 0xA11C_E004, 0xA11C_E005])
    func matchesTheReferenceOnRandomOutOfOrderStreams(seed: UInt64) {
        for (c, configuration) in Self.configurations.enumerated() {
            var random = SplitMix64(seed: seed &+ UInt64(c))
            var state = ActiveUsers(configuration: configuration)
            var batched = ActiveUsers(configuration: configuration)  // fed in random-sized batches
            var pending: [(day: Int, user: String)] = []
            var reference = ActiveUsersReference(configuration: configuration)
            let lateness = configuration.allowedLatenessDays
            var now = 19_723 + random.below(10) - 5
            let population = 20 + random.below(400)
            var mismatch: String?
            for step in 0..<4_000 where mismatch == nil {
                if random.below(40) == 0 { now += 1 + random.below(random.below(8) == 0 ? 90 : 3) }
                var day = now
                switch random.below(10) {
                case 0: day = now - random.below(lateness + 1)  // late but within the horizon
                case 1: day = now - lateness - 1 - random.below(20)  // beyond it
                case 2: day = now - random.below(3)
                default: break
                }
                let user = "u\(random.below(1 + random.below(population)))"
                let got = record(&state, day: day, user: user)
                let want = reference.record(day: day, user: user)
                if got != want { mismatch = "event \(step) (day \(day), \(user)): \(got), want \(want)" }
                pending.append((day, user))
                if random.below(8) == 0 || step % 500 == 499 || step == 3_999 {
                    recordBatch(&batched, pending)
                    pending.removeAll()
                }
                if step % 500 == 499 || step == 3_999, mismatch == nil {
                    let through = (state.latestDay ?? 0) + random.below(3) * random.below(40)
                    if let difference = firstDifference(state.report(throughDay: through), reference.report(throughDay: through)) {
                        mismatch = "after event \(step): \(difference)"
                    } else if let difference = firstDifference(batched.report(throughDay: through), reference.report(throughDay: through)) {
                        mismatch = "after event \(step), batched: \(difference)"
                    } else if batched.distinctUsers != state.distinctUsers || batched.acceptedEvents != state.acceptedEvents {
                        mismatch = "after event \(step), batched: \(batched.distinctUsers) users, \(batched.acceptedEvents) events"
                    } else if let row = reference.report().days.randomElement(using: &random),
                        state.totals(day: row.day) != DayTotals(day: row.day, dau: row.dau, events: row.events)
                    {
                        mismatch = "after event \(step): totals(day: \(row.day)) = \(String(describing: state.totals(day: row.day))), want dau \(row.dau), events \(row.events)"
                    }
                    let n = configuration.windows.last!
                    let end = (state.latestDay ?? 0) - random.below(64 - n + 1)
                    let scanned = state.activeUsers(overLast: n, endingOn: end)
                    let expected = Int64(reference.active(from: end - n + 1, through: end).count)
                    if scanned != expected { mismatch = "after event \(step): scan of \(n) days to \(end) gave \(scanned.map(String.init) ?? "nil"), want \(expected)" }
                }
            }
            #expect(mismatch == nil, "seed \(seed), configuration \(c) \(configuration): \(mismatch ?? "")")
            #expect(state.lateEvents == reference.lateEvents, "seed \(seed), configuration \(c)")
            #expect(state.lateEvents > 0, "seed \(seed), configuration \(c): the stream should exercise late events")
        }
    }

    func recordBatch(_ state: inout ActiveUsers, _ events: [(day: Int, user: String)]) {
        let bytes = events.flatMap { Array($0.user.utf8) }
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            let ids = events.map { event -> UnsafeBufferPointer<UInt8> in
                defer { start += event.user.utf8.count }
                return UnsafeBufferPointer(rebasing: all[start..<(start + event.user.utf8.count)])
            }
            let days = events.map(\.day)
            ids.withUnsafeBufferPointer { i in days.withUnsafeBufferPointer { state.record(days: $0, userIds: i) } }
        }
    }

    @Test func aRepeatOnTheSameDayOnlyCountsTheEvent() {
        var state = ActiveUsers()
        #expect(record(&state, day: 100, user: "a") == .firstActivityOfDay)
        #expect(record(&state, day: 100, user: "a") == .repeatActivity)
        #expect(record(&state, day: 99, user: "a") == .firstActivityOfDay)
        #expect(record(&state, day: 99, user: "a") == .repeatActivity)
        let report = state.report()
        #expect(report.days.map(\.events) == [2, 2])
        #expect(report.days.map(\.dau) == [1, 1])
        #expect(report.days.map(\.wau) == [1, 1])
        #expect(report.days.map(\.mau) == [1, 1])
        #expect(report.cohorts == [
            ActiveUsersCohortRow(cohortDay: 99, age: 0, users: 1), ActiveUsersCohortRow(cohortDay: 99, age: 1, users: 1),
        ])
    }

    @Test func eventsOlderThanTheHorizonAreRefusedWithTheirReason() throws {
        var state = ActiveUsers(configuration: try ActiveUsersConfiguration(windows: [1, 7], allowedLatenessDays: 3))
        _ = record(&state, day: 20_000, user: "a")
        #expect(record(&state, day: 19_997, user: "b") == .firstActivityOfDay)
        let outcome = record(&state, day: 19_996, user: "c")
        #expect(outcome == .refused(ActiveUsersRefusal(.tooLate, day: 19_996, latestDay: 20_000, oldestAcceptedDay: 19_997)))
        #expect(!outcome.isAccepted)
        if case .refused(let refusal) = outcome {
            #expect(refusal.description.hasPrefix("too_late: event day 2024-09-30"))
        }
        #expect(state.lateEvents == 1)
        #expect(state.acceptedEvents == 2)
        #expect(state.report().lateEvents == 1)
        #expect(state.distinctUsers == 2, "a refused event interns nothing")
    }

    @Test func absurdDaysAreRefusedAsOutOfRange() {
        var state = ActiveUsers()
        _ = record(&state, day: 20_000, user: "a")
        let outcome = record(&state, day: 20_000 + ActiveUsers.maxSpanDays, user: "a")
        guard case .refused(let refusal) = outcome else {
            Issue.record("accepted \(outcome)")
            return
        }
        #expect(refusal.code == .dayOutOfRange)
        #expect(state.outOfRangeEvents == 1)
        #expect(state.latestDay == 20_000)
    }

    @Test func configurationsOutsideTheBitmapAreRefused() {
        #expect(throws: ActiveUsersConfigurationError.self) { try ActiveUsersConfiguration(windows: []) }
        #expect(throws: ActiveUsersConfigurationError.self) { try ActiveUsersConfiguration(windows: [0, 7]) }
        #expect(throws: ActiveUsersConfigurationError.self) { try ActiveUsersConfiguration(windows: [65]) }
        #expect(throws: ActiveUsersConfigurationError.self) { try ActiveUsersConfiguration(windows: [30], allowedLatenessDays: 35) }
        #expect(throws: ActiveUsersConfigurationError.self) { try ActiveUsersConfiguration(windows: [30], maxRetentionAge: -1) }
        let ok = try? ActiveUsersConfiguration(windows: [30, 7, 7, 1])
        #expect(ok?.windows == [1, 7, 30])
        #expect(ok?.allowedLatenessDays == 34)
    }

    /// Operators over disjoint users (partitioned by a hash of the id) sum to the result of
    /// one operator over all users.
    @Test(arguments: [UInt64(0xD15C_0001), 0xD15C_0002, 0xD15C_0003])
    func reportsOfUserPartitionsSumToTheWhole(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var whole = ActiveUsers()
        var parts = [ActiveUsers(), ActiveUsers(), ActiveUsers()]
        var now = 19_000
        for _ in 0..<5_000 {
            if random.below(100) == 0 { now += 1 }
            let day = now - random.below(5)
            let user = "user-\(random.below(1 + random.below(3_000)))"
            _ = record(&whole, day: day, user: user)
            _ = record(&parts[user.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % parts.count], day: day, user: user)
        }
        let last = parts.compactMap(\.latestDay).max()!
        let merged = parts.map { $0.report(throughDay: last) }.mergedAggregate()
        #expect(firstDifference(merged, whole.report()) == nil, "seed \(seed): \(firstDifference(merged, whole.report()) ?? "")")
    }

    /// The whole state for 200k users, each active on a few of 30 days, with ids like the
    /// generator's (`usr_123456`), stays within 64 bytes per user.
    @Test func stateIsAtMost64BytesPerUser() {
        var state = ActiveUsers()
        var random = SplitMix64(seed: 0xB17E_5000)
        let users = 200_000
        for day in 19_700..<19_730 {
            for _ in 0..<(users / 5) {
                _ = record(&state, day: day, user: "usr_\(1 + random.below(users))")
            }
        }
        for u in 1...users { _ = record(&state, day: 19_729, user: "usr_\(u)") }
        #expect(state.distinctUsers == users)
        let perUser = state.bytesPerUser
        print("active users: \(users) users, \(state.approximateBytes) bytes, \(perUser) bytes per user (user state \(Double(state.userStateBytes) / Double(users)))")
        #expect(perUser <= 64, "\(perUser) bytes per user")
    }
}
