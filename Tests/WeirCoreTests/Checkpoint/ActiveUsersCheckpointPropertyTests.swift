import Testing
import WeirCore

/// Random out-of-order streams through an ``ActiveUsers`` operator that checkpoints at
/// random points (mostly deltas), sometimes loses a stored chunk to corruption, and
/// restarts from ``StateChain/select(_:)`` and the offset it returns, against one that
/// runs uninterrupted. A model sink upserts the rows of ``ActiveUsers/drainChangedDays()``
/// at each checkpoint and rolls back with it, as the job's transaction does.
struct ActiveUsersCheckpointPropertyTests {
    struct Event {
        var day: Int
        var user: String
    }

    static let configurations: [ActiveUsersConfiguration] = [
        ActiveUsersConfiguration(),
        try! ActiveUsersConfiguration(windows: [1, 2, 5, 13], allowedLatenessDays: 9, maxRetentionAge: 6),
        try! ActiveUsersConfiguration(windows: [3, 60], allowedLatenessDays: 4, maxRetentionAge: 70),
        try! ActiveUsersConfiguration(windows: [7, 28], allowedLatenessDays: 36, maxRetentionAge: 0),
    ]

    /// ~2,000 events over ~60 days from ~300 skewed users: jitter within the lateness,
    /// events beyond it, and a few far outside the range the counters can hold.
    static func events(_ random: inout SplitMix64, lateness: Int) -> [Event] {
        var now = 19_000 + random.below(10)
        var events: [Event] = []
        for _ in 0..<2_000 {
            if random.below(33) == 0 { now += 1 + (random.below(15) == 0 ? random.below(6) : 0) }
            var day = now
            switch random.below(12) {
            case 0: day = now - random.below(lateness + 1)
            case 1: day = now - lateness - 1 - random.below(10)
            case 2: day = now - random.below(3)
            case 3 where !events.isEmpty && random.below(20) == 0: day = now + 40_000
            default: break
            }
            events.append(Event(day: day, user: "u\(random.below(1 + random.below(300)))"))
        }
        return events
    }

    func record(_ state: inout ActiveUsers, _ events: ArraySlice<Event>) {
        if events.count == 1, let event = events.first {
            Array(event.user.utf8).withUnsafeBufferPointer { _ = state.record(day: event.day, userId: $0) }
            return
        }
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

    /// The rows a sink holds: upserted day rows, cohort rows replaced per cohort day.
    struct Sink {
        var days: [Int: ActiveUsersDayRow] = [:]
        var cohorts: [Int: [ActiveUsersCohortRow]] = [:]

        mutating func apply(_ range: ClosedRange<Int>, _ rows: ActiveUsersReport) {
            for row in rows.days { days[row.day] = row }
            for day in cohorts.keys where day >= range.lowerBound { cohorts[day] = nil }
            for row in rows.cohorts { cohorts[row.cohortDay, default: []].append(row) }
        }

        func difference(from report: ActiveUsersReport) -> String? {
            let dayRows = days.values.sorted { $0.day < $1.day }
            if dayRows != report.days { return "sink has \(dayRows.count) day rows, report \(report.days.count); first differing: \(zip(dayRows, report.days).first { $0 != $1 }.map { "\($0)" } ?? "-")" }
            let cohortRows = cohorts.keys.sorted().flatMap { cohorts[$0]! }
            if cohortRows != report.cohorts { return "sink has \(cohortRows.count) cohort cells, report \(report.cohorts.count)" }
            return nil
        }
    }

    /// A day or cohort day whose rows differ between `before` and `after` but lies
    /// outside `range`.
    func uncoveredChange(_ before: ActiveUsersReport, _ after: ActiveUsersReport, _ range: ClosedRange<Int>?) -> String? {
        var dayRows: [Int: [ActiveUsersDayRow]] = [:]
        for row in before.days + after.days { dayRows[row.day, default: []].append(row) }
        for (day, rows) in dayRows where !(rows.count == 2 && rows[0] == rows[1]) && range?.contains(day) != true {
            return "day \(day) changed (\(rows)) outside \(range.map { "\($0)" } ?? "nil")"
        }
        let old = Dictionary(grouping: before.cohorts, by: \.cohortDay)
        let new = Dictionary(grouping: after.cohorts, by: \.cohortDay)
        for day in Set(old.keys).union(new.keys) where old[day] != new[day] && range?.contains(day) != true {
            return "cohort \(day) changed outside \(range.map { "\($0)" } ?? "nil")"
        }
        return nil
    }

    @Test(arguments: 0..<200)
    func checkpointsAndRestoresMatchAnUninterruptedRun(case n: Int) throws {
        let seed = 0xC4EC_0000 + UInt64(n)
        let configuration = Self.configurations[n % Self.configurations.count]
        var random = SplitMix64(seed: seed)
        let events = Self.events(&random, lateness: configuration.allowedLatenessDays)

        // Uninterrupted, one event at a time, draining changed days at random points.
        var plain = ActiveUsers(configuration: configuration)
        var previous = plain.report()
        for (i, event) in events.enumerated() {
            record(&plain, events[i...i])
            _ = event
            guard random.below(40) == 0 || i == events.count - 1 else { continue }
            let range = plain.drainChangedDays()
            let now = plain.report()
            if let problem = uncoveredChange(previous, now, range) {
                Issue.record("seed \(seed), after event \(i): \(problem)")
                return
            }
            if let range {
                let partial = plain.report(fromDay: range.lowerBound)
                #expect(partial.days == now.days.filter { $0.day >= range.lowerBound }, "seed \(seed)")
                #expect(partial.cohorts == now.cohorts.filter { $0.cohortDay >= range.lowerBound }, "seed \(seed)")
            }
            previous = now
        }

        // Checkpointed, fed in random batches, restarted from the stored chunks.
        var state = ActiveUsers(configuration: configuration)
        var stored: [(sequence: UInt64, bytes: [UInt8])] = []
        var sinkAt: [UInt64: Sink] = [:]
        var sink = Sink()
        var sequence: UInt64 = 0
        var restarts = 0
        var i = 0
        func checkpoint(full: Bool) {
            if let range = state.drainChangedDays() { sink.apply(range, state.report(fromDay: range.lowerBound)) }
            sequence += 1
            let (payload, keys) = state.checkpointPayload(full: full)
            let chunk = StateChunk(
                kind: full ? .full : .delta, stateFormat: ActiveUsers.stateFormatVersion, sequence: sequence,
                nextOffset: Int64(i), keyCount: keys, payload: payload)
            stored.append((sequence, chunk.encoded()))
            sinkAt[sequence] = sink
        }
        func restart() throws {
            let selection = StateChain.select(stored)
            state = try ActiveUsers(restoring: selection.chunks, configuration: configuration)
            i = Int(selection.nextOffset ?? 0)
            sequence = selection.lastSequence ?? 0
            stored.removeAll { $0.sequence > sequence }  // the store overwrites what follows the restored chain
            sink = sinkAt[sequence] ?? Sink()
            restarts += 1
        }
        while i < events.count {
            let n = min(events.count - i, random.below(3) == 0 ? 1 + random.below(40) : 1)
            record(&state, events[i..<(i + n)])
            i += n
            if random.below(20) == 0 { checkpoint(full: sequence == 0 || random.below(6) == 0) }
            if random.below(60) == 0, restarts < 25 {
                if random.below(4) == 0, !stored.isEmpty {
                    // A stored chunk rots: the restart falls back past it and replays more.
                    let j = stored.count - 1 - random.below(min(stored.count, 4))
                    stored[j].bytes[random.below(stored[j].bytes.count)] ^= UInt8(1) << UInt8(random.below(8))
                }
                try restart()
            }
        }
        if let range = state.drainChangedDays() { sink.apply(range, state.report(fromDay: range.lowerBound)) }

        let want = plain.report()
        if let difference = firstDifference(state.report(), want) {
            Issue.record("seed \(seed), \(restarts) restarts: \(difference)")
        }
        if let difference = sink.difference(from: want) {
            Issue.record("seed \(seed), \(restarts) restarts, sink: \(difference)")
        }
        #expect(state.acceptedEvents == plain.acceptedEvents, "seed \(seed)")
        #expect(state.distinctUsers == plain.distinctUsers, "seed \(seed)")

        // One more checkpoint and restart at the very end.
        checkpoint(full: random.below(2) == 0)
        try restart()
        #expect(i == events.count, "seed \(seed)")
        if let difference = firstDifference(state.report(), want) {
            Issue.record("seed \(seed), after the final restart: \(difference)")
        }
    }
}
