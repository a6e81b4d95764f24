import ArgumentParser
import Foundation
import Logging
import Synchronization
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

/// `weir demo`: the whole pipeline on embedded defaults — an in-process broker, generated
/// traffic (with a few malformed events), the product-analytics topology, and PostgreSQL.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the product-analytics topology against an embedded broker and generated traffic.")

    @Option(help: "Stop producing after this many seconds, drain, print the DAU table and exit (default: run until all events are processed or Ctrl-C).")
    var duration: Double?

    @Option(help: "Distinct users.")
    var users: Int = 20_000

    @Option(help: "Days of traffic, ending today.")
    var days: Int = 7

    @Option(help: "Events per second produced.")
    var rate: Double = 50_000

    @Option(help: "Events to produce (default: rate x duration, or 3,000,000).")
    var events: Int?

    @Option(help: "Partitions of the demo topic.")
    var partitions: Int = 4

    @Option(help: "Insert one malformed event every N events (0: none), to show the dead-letter table.")
    var badEvery: Int = 10_000

    @Option(help: "PostgreSQL URL (default: $WEIR_POSTGRES_URL, else the embedded server of this checkout).")
    var postgres: String?

    @Option(help: "The topology file to run.")
    var topology: String = "topologies/product-analytics.yaml"

    @Option(help: "Schema the demo writes to; it is dropped and recreated at start.")
    var schema: String = "weir_demo"

    @Option(help: "Where an active_users topology keeps its state chunks: a local directory (the embedded default; emptied at start) or 'postgres'.")
    var stateDirectory: String = ".weir/demo-state"

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be > 0") }
        guard rate > 0 else { throw ValidationError("--rate must be > 0") }
        guard (1...64).contains(partitions) else { throw ValidationError("--partitions must be 1...64") }
    }

    func run() throws {
        Console.bootstrapLogging(level: .warning)
        let badEvery = self.badEvery
        let rate = self.rate
        let url = try DefaultPostgres.url(explicit: postgres)
        var definition: TopologyDefinition
        do {
            definition = try TopologyLoader.load(path: topology)
            definition.sink.schema = try SQLIdentifier(schema)
        } catch let error as TopologyError {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
        if var pipeline = definition.activeUsers, stateDirectory != "postgres" {
            try? FileManager.default.removeItem(atPath: stateDirectory)
            pipeline.stateStore = .local(directory: stateDirectory)
            definition.activeUsers = pipeline
        }
        let reset = try PostgresConnection(url: url)
        try reset.execute("DROP SCHEMA IF EXISTS \(definition.sink.schema.quoted) CASCADE")

        let broker = try EmbeddedKafkaBroker(brokers: 3)
        try broker.createTopic("events", partitions: partitions)
        definition.override(bootstrap: broker.bootstrapServers, postgresURL: url, topic: "events", group: "weir-demo")

        let total = events ?? duration.map { Int($0 * rate) } ?? 3_000_000
        let today = Int(Date().timeIntervalSince1970).dividedFloor(by: 86_400)
        let generatorConfig = EventGenerator.Configuration(
            users: users, days: days, events: total, seed: UInt64(today), startDay: today - days + 1)
        Console.err("weir demo: broker \(broker.bootstrapServers), topic events (\(partitions) partitions), postgres \(PostgresURL.redacted(url)) schema \(schema)")
        Console.err("weir demo: producing \(Console.grouped(total)) events for \(Console.grouped(users)) users over \(days) days at \(Console.grouped(Int(rate)))/s; Ctrl-C to stop")

        let job: any RunningTopology
        if definition.activeUsers != nil {
            job = try ActiveUsersJob(definition: definition, logger: Logger(label: "weir.demo"))
        } else {
            job = DailyActiveUsersJob(definition: definition, logger: Logger(label: "weir.demo"))
        }
        let producer = try KafkaProducer(bootstrapServers: broker.bootstrapServers)
        let produced = Atomic<Int>(0)
        let stopProducing = Atomic<Bool>(false)
        let interrupted = Atomic<Bool>(false)
        let signals = ShutdownSignal { _ in
            interrupted.store(true, ordering: .relaxed)
            stopProducing.store(true, ordering: .relaxed)
        }
        let producerDone = DispatchSemaphore(value: 0)
        let producerError = Mutex<String?>(nil)
        Thread {
            var generator = EventGenerator(configuration: generatorConfig)
            let pacer = Pacer(rate: rate)
            var count = 0
            do {
                while !stopProducing.load(ordering: .relaxed), let event = generator.next() {
                    try producer.send(topic: "events", key: event.key, value: event.payload)
                    count += 1
                    if badEvery > 0 && count % badEvery == 0 {
                        try producer.send(topic: "events", key: nil, value: DemoBadEvents.sample(count / badEvery))
                        count += 1
                    }
                    if count % 1000 == 0 {
                        produced.store(count, ordering: .relaxed)
                        producer.poll()
                    }
                    pacer.wait(count)
                }
                try producer.flush()
            } catch {
                producerError.withLock { $0 = "\(error)" }
            }
            produced.store(count, ordering: .relaxed)
            producerDone.signal()
        }.start()

        let jobDone = DispatchSemaphore(value: 0)
        let jobError = Mutex<String?>(nil)
        Thread {
            do {
                try job.run()
            } catch {
                jobError.withLock { $0 = "\(error)" }
            }
            jobDone.signal()
        }.start()

        let reporter = ProgressReporter(job: job, interval: 1) {
            " | produced \(Console.grouped(produced.load(ordering: .relaxed)))"
        }
        reporter.start()
        let started = ContinuousClock.now
        var producerFinished = false
        var drainDeadline: ContinuousClock.Instant?
        while true {
            if !producerFinished, producerDone.wait(timeout: .now() + 0.2) == .success { producerFinished = true }
            if !producerFinished { Thread.sleep(forTimeInterval: 0) }
            if interrupted.load(ordering: .relaxed) { break }
            if let duration, !stopProducing.load(ordering: .relaxed), ContinuousClock.now - started >= .milliseconds(Int64(duration * 1000)) {
                stopProducing.store(true, ordering: .relaxed)
            }
            if jobError.withLock({ $0 }) != nil { break }
            if producerFinished {
                // Drain: wait until every produced event is committed (bounded).
                let deadline = drainDeadline ?? ContinuousClock.now + .seconds(60)
                drainDeadline = deadline
                if job.progress.recordsCommitted >= Int64(produced.load(ordering: .relaxed)) || ContinuousClock.now > deadline { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        stopProducing.store(true, ordering: .relaxed)
        if !producerFinished { producerDone.wait() }
        job.requestStop()
        jobDone.wait()
        reporter.stop()
        _ = signals
        producer.close()
        broker.shutdown()

        if let error = producerError.withLock({ $0 }) { Console.err("producer error: \(error)") }
        if let error = jobError.withLock({ $0 }) {
            Console.err("error: \(error)")
            throw ExitCode(1)
        }
        let p = job.progress
        Console.out("")
        Console.out("weir demo: \(Console.grouped(produced.load(ordering: .relaxed))) produced, \(Console.grouped(p.recordsCommitted)) committed, \(Console.grouped(p.deadLetters)) dead letters, \(p.commits) commits")
        let query: String
        if definition.activeUsers != nil {
            let rows = try PostgresActiveUsersReader.days(
                url: url, schema: definition.sink.schema, table: definition.aggregate.table, from: nil, to: nil)
            let cells = rows.map { r in
                [CivilDate.isoString(ofDay: r.day), Console.grouped(r.dau), r.wau.map(Console.grouped) ?? "", r.mau.map(Console.grouped) ?? "", Console.grouped(r.events)]
            }
            Console.out(QueryCommand.renderCells(header: ["day", "dau", "wau", "mau", "events"], rows: cells, format: .table, numericFrom: 1))
            query = "active-users"
        } else {
            let rows = try PostgresDailyActiveUsersReader.rows(
                url: url, schema: definition.sink.schema, table: definition.aggregate.table, from: nil, to: nil)
            Console.out(QueryCommand.DAU.render(rows, format: .table))
            query = "dau"
        }
        let reasons = try reset.execute(
            "SELECT reason_code, count(*) FROM \(definition.sink.deadLetterTable.qualified(in: definition.sink.schema)) GROUP BY 1 ORDER BY 1")
        if !reasons.rows.isEmpty {
            Console.out("dead letters: " + reasons.rows.map { "\($0[0] ?? "?")=\($0[1] ?? "0")" }.joined(separator: ", "))
        }
        Console.out("query it: weir query \(query) --postgres '\(PostgresURL.redacted(url))' --schema \(schema) --table \(definition.aggregate.table.name) --format csv")
    }
}

/// Malformed events the demo mixes in, one of each kind the dead-letter table records.
enum DemoBadEvents {
    static func sample(_ i: Int) -> [UInt8] {
        let samples = [
            "{\"event\":\"page_view\",\"properties\":{\"user_id\":\"usr_1\",\"timestamp\":",
            "{\"event\":\"page_view\",\"properties\":{\"timestamp\":\"2024-01-01T00:00:00Z\"}}",
            "{\"event\":\"page_view\",\"properties\":{\"user_id\":\"usr_2\",\"timestamp\":\"yesterday\"}}",
            "{\"event\":\"page_view\",\"properties\":{\"user_id\":\"usr_3\",\"timestamp\":\"1970-01-01T00:00:00Z\"}}",
            "not json at all",
        ]
        return Array(samples[i % samples.count].utf8)
    }
}
