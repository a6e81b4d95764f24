import Foundation
import Logging
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

/// One `active_users` topology on the mock cluster and the real PostgreSQL: its names, its
/// state store, and the queries the tests make of Weir's tables.
private final class ActiveUsersFixture: @unchecked Sendable {
    // Immutable after init, except `broker`, whose calls are thread-safe.
    let url: String
    let broker: EmbeddedKafkaBroker
    let topic = "events"
    let partitions: Int
    let schema = TestServices.uniqueName("au")
    let group = TestServices.uniqueName("g")
    let state: String

    init(partitions: Int, state: String = "store: postgres") throws {
        url = try TestServices.postgresURL()
        broker = try EmbeddedKafkaBroker(brokers: 1)
        try broker.createTopic(topic, partitions: partitions)
        self.partitions = partitions
        self.state = state
    }

    deinit { broker.shutdown() }

    var operatorName: String { "active_users:dau" }

    func definition() throws -> TopologyDefinition {
        try TestServices.topology(
            bootstrap: broker.bootstrapServers, topic: topic, group: group, url: url, schema: schema, commitMs: 200,
            kind: "active_users", state: state)
    }

    /// Starts a job whose log lines go to `lines`.
    func start(_ lines: LogCapture = LogCapture()) throws -> JobRunner {
        JobRunner(job: try ActiveUsersJob(definition: definition(), logger: lines.logger(label: "active-users-test", level: .info)))
    }

    func produce(_ records: ArraySlice<(key: [UInt8]?, value: [UInt8])>, partition: Int32? = nil) throws {
        try TestServices.produce(broker.bootstrapServers, topic: topic, Array(records), partition: partition)
    }

    func query(_ sql: String) throws -> [[String?]] {
        let connection = try PostgresConnection(url: url)
        return try connection.execute(sql).rows
    }

    func q(_ table: String) -> String { "\"\(schema)\".\(table)" }

    /// partition -> next offset stored in weir_offsets (empty before the tables exist).
    func storedOffsets() -> [Int32: Int64] {
        guard let rows = try? query("SELECT partition, next_offset FROM \(q("weir_offsets")) WHERE consumer_group = '\(group)'") else { return [:] }
        var result: [Int32: Int64] = [:]
        for row in rows {
            if let p = row[0].flatMap({ Int32($0) }), let o = row[1].flatMap({ Int64($0) }) { result[p] = o }
        }
        return result
    }

    var storedTotal: Int64 { storedOffsets().values.reduce(0, +) }

    /// Waits until the offsets stored with the rows cover `total` records and `runner` has
    /// committed everything it read (at least `minimumRead` records).
    func waitForCaughtUp(_ runner: JobRunner, total: Int, minimumRead: Int, timeout: Double = 45) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let p = runner.job.progress
            if p.recordsIn >= Int64(minimumRead) && p.recordsCommitted == p.recordsIn && storedTotal == Int64(total) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    struct Chunk {
        var partition: Int32
        var sequence: Int64
        var isFull: Bool
        var nextOffset: Int64
        var length: Int
    }

    /// The rows of weir_state_chunks of this group and operator, by partition and sequence.
    func chunks() throws -> [Chunk] {
        try query("""
            SELECT partition, sequence, is_full, next_offset, length(bytes) FROM \(q("weir_state_chunks"))
            WHERE consumer_group = '\(group)' AND operator = '\(operatorName)' AND topic = '\(topic)'
            ORDER BY partition, sequence
            """
        ).map { row in
            Chunk(
                partition: Int32(row[0] ?? "") ?? -1, sequence: Int64(row[1] ?? "") ?? -1, isFull: row[2] == "t",
                nextOffset: Int64(row[3] ?? "") ?? -1, length: Int(row[4] ?? "") ?? -1)
        }
    }

    /// The chunk directory of `partition` under a local store's `directory`.
    /// Names are escaped: every byte but ASCII letters, digits and `-` becomes `_XX`.
    func localDirectory(_ directory: String, partition: Int32) -> String {
        func escaped(_ name: String) -> String {
            name.utf8.map { b -> String in
                let c = Character(Unicode.Scalar(b))
                return b < 0x80 && (c.isLetter || c.isNumber || c == "-") ? String(c) : String(format: "_%02X", b)
            }.joined()
        }
        return "\(directory)/\(escaped(group))/\(escaped("active_users:dau"))/\(escaped(topic))-\(partition)"
    }

    /// partition -> (offset, users, chunks) of the job's "restored state in N ms: ..." log line.
    static func restored(_ lines: LogCapture) -> [Int32: (offset: Int64, users: Int, chunks: Int)] {
        var result: [Int32: (Int64, Int, Int)] = [:]
        for line in lines.matching("restored state") {
            for m in line.matches(of: /events\[(\d+)\]@(-?\d+) \((\d+) users, (\d+) chunks\)/) {
                if let p = Int32(m.output.1), let o = Int64(m.output.2), let u = Int(m.output.3), let c = Int(m.output.4) {
                    result[p] = (o, u, c)
                }
            }
        }
        return result
    }

    /// Every view must equal the oracle: per day DAU, WAU, MAU and events (days from the first
    /// event day through the last, none missing, none extra), the windows view, and every
    /// retention cell.
    func verifyExact(_ oracle: ActiveUsersOracle, records: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = try PostgresActiveUsersReader.days(url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
        let expected = oracle.days
        #expect(rows.map(\.day) == expected.keys.sorted(), "the view's days run from the first event day through the last", sourceLocation: sourceLocation)
        var wrong: [String] = []
        for row in rows {
            let got = ActiveUsersOracle.Day(dau: row.dau, wau: row.wau ?? -1, mau: row.mau ?? -1, events: row.events)
            if let want = expected[row.day], got != want {
                wrong.append("\(CivilDate.isoString(ofDay: row.day)): got \(got), want \(want)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) days differ from the oracle:\n\(wrong.prefix(12).joined(separator: "\n"))", sourceLocation: sourceLocation)
        #expect(rows.reduce(0) { $0 + $1.events } == Int64(records), "total events (a replay counted twice would inflate this)", sourceLocation: sourceLocation)

        // The windows view holds the same numbers (window 1 is DAU).
        let windows = try query("SELECT (day - DATE '1970-01-01')::int, window_days, users FROM \(q("dau_windows"))")
        var wrongWindows: [String] = []
        for w in windows {
            guard let day = w[0].flatMap({ Int($0) }), let length = w[1].flatMap({ Int($0) }), let users = w[2].flatMap({ Int64($0) }) else {
                wrongWindows.append("a row with an empty or unreadable cell: \(w)")
                continue
            }
            let want = length == 1 ? expected[day]?.dau : length == 7 ? expected[day]?.wau : length == 30 ? expected[day]?.mau : nil
            if want != users { wrongWindows.append("\(CivilDate.isoString(ofDay: day)) window \(length): got \(users), want \(want.map(String.init) ?? "none")") }
        }
        #expect(windows.count == 3 * expected.count, "three windows per day", sourceLocation: sourceLocation)
        #expect(wrongWindows.isEmpty, "\(wrongWindows.count) window cells differ:\n\(wrongWindows.prefix(12).joined(separator: "\n"))", sourceLocation: sourceLocation)

        // Retention: every cell the oracle has, and no other.
        let cells = try PostgresActiveUsersReader.retention(url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
        var got: [ActiveUsersOracle.Cell: Int64] = [:]
        for c in cells where c.users != 0 { got[ActiveUsersOracle.Cell(cohort: c.cohortDay, age: c.age), default: 0] += c.users }
        let want = oracle.retention
        var wrongCells: [String] = []
        for key in Set(got.keys).union(want.keys).sorted(by: { ($0.cohort, $0.age) < ($1.cohort, $1.age) }) where got[key] != want[key] {
            wrongCells.append("cohort \(CivilDate.isoString(ofDay: key.cohort)) age \(key.age): got \(got[key].map(String.init) ?? "none"), want \(want[key].map(String.init) ?? "none")")
        }
        #expect(!want.isEmpty)
        #expect(wrongCells.isEmpty, "\(wrongCells.count) of \(want.count) retention cells differ:\n\(wrongCells.prefix(15).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}

/// Generated keyed events (the Kafka key is the user id).
private func generate(users: Int, days: Int, events: Int, seed: UInt64, disorderSeconds: Int = 6 * 3600) -> [(key: [UInt8]?, value: [UInt8])] {
    var generator = EventGenerator(configuration: .init(
        users: users, days: days, events: events, seed: seed, disorderSeconds: disorderSeconds, duplicateProbability: 0.01))
    var records: [(key: [UInt8]?, value: [UInt8])] = []
    while let e = generator.next() { records.append((e.key, e.payload)) }
    return records
}

private func makeOracle(of records: ArraySlice<(key: [UInt8]?, value: [UInt8])>) -> ActiveUsersOracle {
    let oracle = ActiveUsersOracle()
    for r in records { oracle.add(r.value) }
    return oracle
}

/// A small hand-written event of `user` on `day` (keyed by the user).
private func event(user: String, day: Int, second: Int) -> (key: [UInt8]?, value: [UInt8]) {
    let time = "\(CivilDate.isoString(ofDay: day))T12:\(second / 60 % 60 < 10 ? "0" : "")\(second / 60 % 60):\(second % 60 < 10 ? "0" : "")\(second % 60)Z"
    return (Array(user.utf8), Array("{\"event\":\"page_view\",\"properties\":{\"user_id\":\"\(user)\",\"timestamp\":\"\(time)\"}}".utf8))
}

extension Integration {
    /// The `active_users` topology (``ActiveUsersJob``) end to end: exact DAU, WAU, MAU and
    /// retention against an independent oracle; restarts that restore state chunks instead of
    /// replaying; incremental chunks; fallback past a corrupt chunk (PostgreSQL and local
    /// stores); and the key check.
    @Suite("Active users job: exact windows and retention, state chunks, restarts")
    struct ActiveUsersJobTests {
        @Test("20k keyed events over 4 partitions: DAU, WAU, MAU, events and retention equal the oracle")
        func exactResults() throws {
            let f = try ActiveUsersFixture(partitions: 4)
            // 45 days: the 30-day window fills and then slides; 6 h of disorder moves events
            // across midnight, so a user's first day can arrive after a later one.
            let records = generate(users: 2_000, days: 45, events: 20_000, seed: 101)
            let oracle = makeOracle(of: records[...])
            #expect(oracle.rejected == 0)
            #expect(oracle.lastDay! - oracle.firstDay! >= 40)
            try f.produce(records[...])

            let runner = try f.start()
            let caughtUp = f.waitForCaughtUp(runner, total: records.count, minimumRead: records.count)
            #expect(runner.stop() == nil)
            #expect(caughtUp, "the job did not commit all \(records.count) records: \(runner.job.progress)")
            let progress = runner.job.progress
            #expect(progress.recordsIn == Int64(records.count))
            #expect(progress.eventsCounted == Int64(records.count))
            #expect(progress.deadLetters == 0)

            try f.verifyExact(oracle, records: records.count)

            // The DAU reader reads the same view.
            let dau = try PostgresDailyActiveUsersReader.rows(url: f.url, schema: SQLIdentifier(f.schema), table: SQLIdentifier("dau"), from: nil, to: nil)
            let expected = oracle.days
            #expect(dau.count == expected.count)
            for row in dau {
                #expect(row.dau == expected[row.day]?.dau && row.events == expected[row.day]?.events, "DAU reader, \(CivilDate.isoString(ofDay: row.day))")
            }
            // Every partition has a chain starting with a full chunk, a head, and no dead letters.
            let chunks = try f.chunks()
            #expect(Set(chunks.map(\.partition)) == Set(0..<4))
            for p in Int32(0)..<4 {
                #expect(chunks.first(where: { $0.partition == p })?.isFull == true, "partition \(p)'s oldest kept chunk is a full one")
            }
            let heads = try f.query("SELECT count(*) FROM \(f.q("weir_state_heads")) WHERE consumer_group = '\(f.group)'")
            #expect(heads.first?.first == "4")
            let letters = try f.query("SELECT count(*) FROM \(f.q("weir_dead_letters"))")
            #expect(letters.first?.first == "0")
        }

        @Test("a clean restart restores each partition's state chunks and reads only the new records")
        func restartRestoresState() throws {
            let f = try ActiveUsersFixture(partitions: 4)
            let records = generate(users: 1_500, days: 40, events: 16_000, seed: 202)
            let half = 8_000

            try f.produce(records[..<half])
            let first = try f.start()
            #expect(f.waitForCaughtUp(first, total: half, minimumRead: half), "first run: \(first.job.progress)")
            #expect(first.stop() == nil)
            try f.verifyExact(makeOracle(of: records[..<half]), records: half)
            let offsetsAfterFirst = f.storedOffsets()
            let chunksAfterFirst = try f.chunks()

            try f.produce(records[half...])
            let lines = LogCapture()
            let second = try f.start(lines)
            let caughtUp = f.waitForCaughtUp(second, total: records.count, minimumRead: records.count - half)
            #expect(second.stop() == nil)
            #expect(caughtUp, "second run did not catch up: \(second.job.progress)")
            #expect(second.job.progress.recordsIn == Int64(records.count - half), "the restarted job must read only the \(records.count - half) new records, not replay")

            // The log names every partition restored at the offset stored with the rows, with
            // the chain of chunks kept for it (the newest full one and its deltas).
            let restored = ActiveUsersFixture.restored(lines)
            #expect(Set(restored.keys) == Set(0..<4), "restored partitions; log:\n\(lines.all.joined(separator: "\n"))")
            for (p, r) in restored {
                #expect(r.offset == offsetsAfterFirst[p], "partition \(p) resumes where the first run stopped")
                let kept = chunksAfterFirst.filter { $0.partition == p }
                let lastFull = kept.last(where: \.isFull)?.sequence ?? -1
                #expect(r.chunks == kept.filter { $0.sequence >= lastFull }.count, "partition \(p) restores its newest full chunk and the deltas after it")
            }
            // Users are partitioned by key, so the restored users add up to the first half's.
            #expect(restored.values.reduce(0) { $0 + $1.users } == makeOracle(of: records[..<half]).userDays.count)
            #expect(lines.matching("unusable").isEmpty)

            try f.verifyExact(makeOracle(of: records[...]), records: records.count)
        }

        @Test("checkpoints touching few users write delta chunks much smaller than the full one")
        func incrementalChunks() throws {
            let f = try ActiveUsersFixture(partitions: 4)
            var records = generate(users: 3_000, days: 10, events: 12_000, seed: 303)
            try f.produce(records[...])
            let runner = try f.start()
            #expect(f.waitForCaughtUp(runner, total: records.count, minimumRead: records.count), "\(runner.job.progress)")
            let before = try f.chunks()
            let baseSequence = Dictionary(before.map { ($0.partition, $0.sequence) }, uniquingKeysWith: max)

            // Five rounds of a few events by three popular users on the latest day, each
            // committed before the next.
            let lastDay = EventGenerator.Configuration().startDay + 9
            for round in 0..<5 {
                let small = (0..<6).map { i in event(user: "usr_\(1 + i % 3)", day: lastDay, second: round * 10 + i) }
                records += small
                try f.produce(small[...])
                #expect(f.waitForCaughtUp(runner, total: records.count, minimumRead: records.count), "round \(round): \(runner.job.progress)")
            }
            #expect(runner.stop() == nil)

            let after = try f.chunks()
            var deltas = 0
            for p in Int32(0)..<4 {
                let base = baseSequence[p] ?? 0
                let mine = after.filter { $0.partition == p }
                guard var full = mine.last(where: { $0.isFull && $0.sequence <= base }) else {
                    Issue.record("partition \(p) has no full chunk at or before sequence \(base)")
                    continue
                }
                // Delta bytes since that full chunk: past full_snapshot_ratio (1.0) of it, a
                // full snapshot is legitimately due again.
                var accumulated = mine.filter { !$0.isFull && $0.sequence > full.sequence && $0.sequence <= base }.reduce(0) { $0 + $1.length }
                for chunk in mine where chunk.sequence > base {
                    if chunk.isFull {
                        #expect(accumulated > max(full.length, 4096), "partition \(p) sequence \(chunk.sequence): a full snapshot after only \(accumulated) delta bytes (full: \(full.length)); a checkpoint of a few users is a delta")
                        full = chunk
                        accumulated = 0
                        continue
                    }
                    deltas += 1
                    accumulated += chunk.length
                    #expect(chunk.length * 4 < full.length, "partition \(p) sequence \(chunk.sequence): delta of \(chunk.length) bytes vs full of \(full.length)")
                }
            }
            #expect(deltas >= 5, "at least one delta chunk per round, got \(deltas)")
            try f.verifyExact(makeOracle(of: records[...]), records: records.count)
        }

        @Test("a corrupt newest chunk in PostgreSQL: the task falls back to the older chain, replays, and ends exact")
        func corruptChunkFallsBack() throws {
            let f = try ActiveUsersFixture(partitions: 4)
            let records = generate(users: 1_500, days: 20, events: 12_000, seed: 404)
            // Committed batches, the last two small, so each partition has a full chunk and
            // (almost always) a delta as its newest chunk.
            let first = try f.start()
            var start = 0
            for end in [6_000, 9_000, 9_300, 9_600] {
                try f.produce(records[start..<end])
                start = end
                #expect(f.waitForCaughtUp(first, total: end, minimumRead: end), "batch to \(end): \(first.job.progress)")
            }
            #expect(first.stop() == nil)
            let offsetsBefore = f.storedOffsets()

            // Corrupt the newest chunk of every partition whose newest chunk is a delta.
            let chunks = try f.chunks()
            var corrupted: [Int32: (sequence: Int64, fallbackOffset: Int64)] = [:]
            for p in Int32(0)..<4 {
                let mine = chunks.filter { $0.partition == p }
                guard mine.count >= 2, let newest = mine.last, !newest.isFull, newest.length > 61 else { continue }
                corrupted[p] = (newest.sequence, mine[mine.count - 2].nextOffset)
                _ = try f.query("""
                    UPDATE \(f.q("weir_state_chunks")) SET bytes = overlay(bytes placing '\\xff'::bytea from 60 for 1)
                    WHERE consumer_group = '\(f.group)' AND operator = '\(f.operatorName)' AND topic = '\(f.topic)'
                      AND partition = \(p) AND sequence = \(newest.sequence)
                    """)
            }
            try #require(!corrupted.isEmpty, "no partition ended with a delta chunk to corrupt: \(chunks.map { "\($0.partition)#\($0.sequence)\($0.isFull ? "F" : "d")" })")

            try f.produce(records[9_600...])
            let lines = LogCapture()
            let second = try f.start(lines)
            let newRecords = records.count - 9_600
            let replayed = corrupted.reduce(Int64(0)) { $0 + (offsetsBefore[$1.key] ?? 0) - $1.value.fallbackOffset }
            let caughtUp = f.waitForCaughtUp(second, total: records.count, minimumRead: newRecords + Int(replayed))
            #expect(second.stop() == nil)
            #expect(caughtUp, "second run did not catch up: \(second.job.progress)\n\(lines.all.suffix(20).joined(separator: "\n"))")

            let unusable = lines.matching("state chunk unusable, falling back to an older checkpoint")
            let restored = ActiveUsersFixture.restored(lines)
            for (p, c) in corrupted {
                #expect(unusable.contains { $0.contains("events[\(p)]") }, "partition \(p): the corrupt chunk is reported; log:\n\(lines.all.joined(separator: "\n"))")
                #expect(restored[p]?.offset == c.fallbackOffset, "partition \(p) resumes at the older chain's offset \(c.fallbackOffset), got \(String(describing: restored[p]))")
                let later = try f.chunks().filter { $0.partition == p && $0.sequence > c.sequence }
                #expect(later.first?.isFull == true, "partition \(p): the first checkpoint after a fallback is a full one: \(later.map { "#\($0.sequence)\($0.isFull ? "F" : "d")" })")
            }
            for p in Int32(0)..<4 where corrupted[p] == nil {
                #expect(restored[p]?.offset == offsetsBefore[p], "partition \(p) (intact) resumes at its stored offset")
            }
            #expect(second.job.progress.recordsIn == Int64(newRecords) + replayed, "new records plus exactly the replayed span")
            try f.verifyExact(makeOracle(of: records[...]), records: records.count)
        }

        @Test("local state store: chunk files, restart restores them, a truncated or deleted newest file falls back and ends exact")
        func localStateStore() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weir-au-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let f = try ActiveUsersFixture(partitions: 4, state: "store: local, directory: \(directory)")
            let records = generate(users: 1_500, days: 20, events: 10_000, seed: 505)
            func files(_ p: Int32) -> [String] {
                ((try? FileManager.default.contentsOfDirectory(atPath: f.localDirectory(directory, partition: p))) ?? [])
                    .filter { $0.hasSuffix(".chunk") }.sorted()
            }

            // Run 1: the first half.
            try f.produce(records[..<5_000])
            let first = try f.start()
            #expect(f.waitForCaughtUp(first, total: 5_000, minimumRead: 5_000), "first run: \(first.job.progress)")
            #expect(first.stop() == nil)
            for p in Int32(0)..<4 {
                #expect(!files(p).isEmpty, "chunk files of partition \(p) under \(f.localDirectory(directory, partition: p))")
            }
            let offsetsAfterFirst = f.storedOffsets()

            // Run 2: restores from the files, reads only the new records; a small batch last so
            // the newest chunks are deltas.
            try f.produce(records[5_000..<9_000])
            let lines2 = LogCapture()
            let second = try f.start(lines2)
            #expect(f.waitForCaughtUp(second, total: 9_000, minimumRead: 4_000), "second run: \(second.job.progress)")
            try f.produce(records[9_000..<9_200])
            #expect(f.waitForCaughtUp(second, total: 9_200, minimumRead: 4_200), "second run: \(second.job.progress)")
            #expect(second.stop() == nil)
            #expect(second.job.progress.recordsIn == 4_200, "the restarted job reads only new records")
            let restored2 = ActiveUsersFixture.restored(lines2)
            #expect(Set(restored2.keys) == Set(0..<4), "log:\n\(lines2.all.joined(separator: "\n"))")
            for (p, r) in restored2 { #expect(r.offset == offsetsAfterFirst[p]) }
            try f.verifyExact(makeOracle(of: records[..<9_200]), records: 9_200)

            // Damage the newest file of partitions that keep an older one: truncate one, delete another.
            let offsetsBefore = f.storedOffsets()
            var damaged: [Int32: String] = [:]
            for p in Int32(0)..<4 {
                let names = files(p)
                guard names.count >= 2, let newest = names.last else { continue }
                let path = "\(f.localDirectory(directory, partition: p))/\(newest)"
                if damaged.values.contains("truncated") && !damaged.values.contains("deleted") {
                    try FileManager.default.removeItem(atPath: path)
                    damaged[p] = "deleted"
                } else {
                    let bytes = try #require(FileManager.default.contents(atPath: path))
                    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
                    damaged[p] = "truncated"
                }
            }
            try #require(!damaged.isEmpty, "no partition kept two chunk files: \((0..<4).map { files(Int32($0)) })")

            try f.produce(records[9_200...])
            let lines3 = LogCapture()
            let third = try f.start(lines3)
            let newRecords = records.count - 9_200
            let caughtUp = f.waitForCaughtUp(third, total: records.count, minimumRead: newRecords + 1)
            #expect(third.stop() == nil)
            #expect(caughtUp, "third run did not catch up: \(third.job.progress)\n\(lines3.all.suffix(20).joined(separator: "\n"))")
            let restored3 = ActiveUsersFixture.restored(lines3)
            var replayed: Int64 = 0
            for p in Int32(0)..<4 {
                let stored = offsetsBefore[p] ?? 0
                // Without usable state a partition replays from the start of the log.
                let resumed = restored3[p]?.offset ?? 0
                replayed += stored - resumed
                if let how = damaged[p] {
                    #expect(resumed < stored, "partition \(p) (newest file \(how)) resumes before its stored offset \(stored), got \(resumed)")
                    if how == "truncated" {
                        #expect(lines3.matching("state chunk unusable").contains { $0.contains("events[\(p)]") }, "partition \(p): the truncated chunk is reported")
                    }
                } else {
                    #expect(resumed == stored, "partition \(p) (intact) resumes at its stored offset")
                }
            }
            #expect(third.job.progress.recordsIn == Int64(newRecords) + replayed, "new records plus exactly the replayed span")
            try f.verifyExact(makeOracle(of: records[...]), records: records.count)
        }

        @Test("records whose key is not the user id (or have no key) are dead-lettered as key_not_user; the rest count and the job runs on")
        func keyCheck() throws {
            let f = try ActiveUsersFixture(partitions: 1)
            let generated = generate(users: 200, days: 3, events: 1_500, seed: 606)
            let probe = ActiveUsersOracle()
            var records: [(key: [UInt8]?, value: [UInt8])] = []
            var bad: [Int64: String] = [:]
            let good = ActiveUsersOracle()
            for (i, r) in generated.enumerated() {
                if i % 40 == 17 {
                    let user = try #require(probe.user(of: r.value))
                    let variant = (i / 40) % 3
                    let key: [UInt8]? = variant == 0 ? Array("usr_not_\(user)".utf8) : variant == 1 ? nil : Array(user.utf8.dropLast())
                    bad[Int64(records.count)] = variant == 0 ? "other user" : variant == 1 ? "no key" : "key a prefix of the user"
                    records.append((key, r.value))
                } else {
                    records.append(r)
                    good.add(r.value)
                }
            }
            try f.produce(records[...], partition: 0)
            let runner = try f.start()
            #expect(f.waitForCaughtUp(runner, total: records.count, minimumRead: records.count), "\(runner.job.progress)")
            #expect(runner.job.progress.deadLetters == Int64(bad.count))
            #expect(runner.job.progress.eventsCounted == Int64(records.count - bad.count))

            // The job keeps running: later valid records are counted too.
            let later = generate(users: 200, days: 3, events: 300, seed: 607)
            try f.produce(later[...], partition: 0)
            for r in later { good.add(r.value) }
            let total = records.count + later.count
            let caughtUp = f.waitForCaughtUp(runner, total: total, minimumRead: total)
            #expect(runner.stop() == nil)
            #expect(caughtUp, "the job stopped consuming after the dead letters: \(runner.job.progress)")

            let letters = try f.query("SELECT \"offset\", reason_code, partition FROM \(f.q("weir_dead_letters")) ORDER BY \"offset\"")
            #expect(letters.count == bad.count)
            for row in letters {
                let offset = try #require(row[0].flatMap { Int64($0) })
                #expect(bad[offset] != nil, "dead letter at offset \(offset), where a good record was produced")
                #expect(row[1] == "key_not_user", "reason of offset \(offset) (\(bad[offset] ?? "?"))")
            }
            #expect(Set(letters.compactMap { $0[0].flatMap { Int64($0) } }) == Set(bad.keys), "every mis-keyed record is dead-lettered")
            try f.verifyExact(good, records: total - bad.count)
        }
    }
}
