import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

/// A generated event stream on an embedded broker, its independent oracle, and the
/// checks that PostgreSQL matches it: the scaffolding of the fault, crash and scale-out tests.
final class StreamScenario: @unchecked Sendable {
    // Immutable after init, except `broker`, whose calls are thread-safe.
    let broker: EmbeddedKafkaBroker
    let topic = "events"
    let records: [(key: [UInt8]?, value: [UInt8])]
    let oracle = DAUOracle()
    let schema: String
    let group: String
    let url: String
    /// The aggregate kind every process runs: `active_users` (the engine's keyed operator,
    /// state checkpointed in PostgreSQL) or `daily_active_users`.
    let kind: String
    let partitions: Int

    init(events: Int, partitions: Int, brokers: Int = 3, seed: UInt64, users: Int = 2_000, kind: String = "active_users") throws {
        self.kind = kind
        self.partitions = partitions
        url = try TestServices.postgresURL()
        broker = try EmbeddedKafkaBroker(brokers: brokers)
        try broker.createTopic(topic, partitions: partitions)
        var generator = EventGenerator(configuration: .init(
            users: users, days: 4, events: events, seed: seed, disorderSeconds: 3600, duplicateProbability: 0.01))
        var records: [(key: [UInt8]?, value: [UInt8])] = []
        while let e = generator.next() { records.append((e.key, e.payload)) }
        self.records = records
        for r in records { oracle.add(r.value) }
        schema = TestServices.uniqueName("s")
        group = TestServices.uniqueName("g")
    }

    deinit { broker.shutdown() }

    /// The topology every process of this scenario runs.
    func definition(commitMs: Int = 200) throws -> TopologyDefinition {
        try TestServices.topology(
            bootstrap: broker.bootstrapServers, topic: topic, group: group, url: url, schema: schema, commitMs: commitMs,
            kind: kind)
    }

    /// Writes the topology to a file for `weir run` child processes.
    func topologyFile(commitMs: Int = 200) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(schema).yaml").path
        let yaml = """
            name: test-product-analytics
            source:
              kafka:
                bootstrap: \(broker.bootstrapServers)
                topic: \(topic)
                group: \(group)
                properties:
                  session.timeout.ms: "3000"
                  heartbeat.interval.ms: "500"
            events:
              user_id: properties.user_id
              timestamp: properties.timestamp
            aggregate:
              kind: \(kind)
              table: dau
            sink:
              postgres:
                url: \(url)
                schema: \(schema)
                commit_interval_ms: \(commitMs)
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Produces every record on a background thread at about `rate` records/s.
    func produceInBackground(rate: Double) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let bootstrap = broker.bootstrapServers
        Thread { [self] in
            do {
                let producer = try KafkaProducer(bootstrapServers: bootstrap, properties: KafkaProperties([("message.timeout.ms", "120000")]))
                let start = Date()
                for (i, r) in records.enumerated() {
                    try producer.send(topic: topic, key: r.key, value: r.value)
                    if i % 500 == 0 {
                        producer.poll()
                        let due = start.addingTimeInterval(Double(i) / rate)
                        let wait = due.timeIntervalSinceNow
                        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    }
                }
                try producer.flush(timeoutMilliseconds: 120_000)
                producer.close()
            } catch {
                Issue.record("producer failed: \(error)")
            }
            done.signal()
        }.start()
        return done
    }

    /// Events committed to PostgreSQL so far (0 before the table exists).
    func committedEvents() -> Int64 {
        guard let connection = try? PostgresConnection(url: url),
            let rows = try? connection.execute("SELECT coalesce(sum(events), 0)::bigint FROM \"\(schema)\".dau")
        else { return 0 }
        return rows.rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
    }

    /// Waits until PostgreSQL holds `count` events, or the timeout passes.
    func waitForCommittedEvents(_ count: Int64, timeout: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if committedEvents() >= count { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    /// PostgreSQL's DAU and events per day must equal the oracle exactly.
    func verifyExact(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = try PostgresDailyActiveUsersReader.rows(
            url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
        let expected = oracle.expected
        #expect(rows.count == expected.count, "days", sourceLocation: sourceLocation)
        for row in rows {
            let day = CivilDate.isoString(ofDay: row.day)
            #expect(row.dau == expected[row.day]?.dau, "DAU of \(day)", sourceLocation: sourceLocation)
            #expect(row.events == expected[row.day]?.events, "events of \(day) (a replay would inflate this)", sourceLocation: sourceLocation)
        }
        let total = rows.reduce(0) { $0 + $1.events }
        if total != Int64(records.count) {
            // Tell a producer that wrote records twice from a job that counted them twice.
            let inTopic = (try? recordsInTopic()).map { "\($0)" } ?? "unknown"
            Issue.record("total events \(total), produced \(records.count), records in the topic \(inTopic)", sourceLocation: sourceLocation)
        }
    }

    /// Records in the topic: the sum of its partitions' high watermarks (the scenarios stay
    /// far below the mock broker's retention, so every partition starts at offset 0).
    func recordsInTopic() throws -> Int64 {
        let consumer = try KafkaConsumer(configuration: .init(
            bootstrapServers: broker.bootstrapServers, groupId: TestServices.uniqueName("watermarks"), topics: [topic]))
        defer { consumer.close() }
        var total: Int64 = 0
        for p in 0..<partitions { total += try consumer.queryHighWatermark(TopicPartition(topic: topic, partition: Int32(p))) }
        return total
    }
}

/// A `weir run` child process, with its stderr kept in a file.
final class WeirRunProcess {
    let process = Process()
    let logPath: String

    init(topologyFile: String, extraArguments: [String] = []) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("weir-run-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestServices.weirBinary)
        process.arguments = ["run", topologyFile, "--progress-interval", "0", "--log-level", "info"] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
    }

    /// SIGKILL: no commit, no goodbye.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait; returns the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Partitions this process was ever assigned, from its log.
    var assignedPartitions: Set<String> {
        var result = Set<String>()
        for line in log.split(separator: "\n") where line.contains("] assigned ") {
            guard let range = line.range(of: "] assigned "), let end = line.range(of: "; resuming") else { continue }
            for p in line[range.upperBound..<end.lowerBound].split(separator: ",") {
                result.insert(p.trimmingCharacters(in: .whitespaces))
            }
        }
        return result
    }
}
