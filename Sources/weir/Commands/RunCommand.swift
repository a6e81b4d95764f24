import ArgumentParser
import Foundation
import Logging
import WeirPostgres
import WeirTopology

/// `weir run TOPOLOGY`: runs a topology until SIGINT/SIGTERM, then commits and exits 0.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a topology until SIGINT or SIGTERM.")

    @Argument(help: "The topology file (YAML).")
    var topology: String

    @Option(help: "Kafka bootstrap servers; overrides source.kafka.bootstrap.")
    var bootstrap: String?

    @Option(help: "PostgreSQL URL; overrides sink.postgres.url.")
    var postgres: String?

    @Option(help: "Topic; overrides source.kafka.topic.")
    var topic: String?

    @Option(help: "Consumer group; overrides source.kafka.group.")
    var group: String?

    @Option(help: "PostgreSQL schema; overrides sink.postgres.schema.")
    var schema: String?

    @Option(help: "Seconds between progress lines on stderr (0: none).")
    var progressInterval: Double = 5

    @Option(help: "Stop (commit, exit 0) once no record has arrived for this many seconds after the first one; for backfills and benchmarks.")
    var untilIdle: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() throws {
        Console.bootstrapLogging(level: logLevel)
        var definition: TopologyDefinition
        do {
            definition = try TopologyLoader.load(path: topology)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
        definition.override(bootstrap: bootstrap, postgresURL: postgres, topic: topic, group: group)
        if let schema {
            do {
                definition.sink.schema = try SQLIdentifier(schema)
            } catch {
                Console.err("error: --schema: \(error.message)")
                throw ExitCode(2)
            }
        }
        let job = DailyActiveUsersJob(definition: definition, logger: Logger(label: "weir.run"))
        let signals = ShutdownSignal { sig in
            Console.err("weir: received \(sig == SIGINT ? "SIGINT" : "SIGTERM"), committing and stopping")
            job.requestStop()
        }
        let reporter = progressInterval > 0 ? ProgressReporter(job: job, interval: progressInterval) : nil
        reporter?.start()
        defer {
            reporter?.stop()
            _ = signals
        }
        if let untilIdle { IdleStopper.start(job: job, idleSeconds: untilIdle) }
        let started = Date()
        do {
            try job.run()
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(1)
        }
        if untilIdle != nil {
            let p = job.progress
            let active = max(IdleStopper.activeSeconds(job: job, started: started, idleSeconds: untilIdle ?? 0), 0.001)
            Console.out("{\"records\":\(p.recordsCommitted),\"dead_letters\":\(p.deadLetters),\"commits\":\(p.commits),\"seconds\":\(String(format: "%.3f", active)),\"events_per_second\":\(Int(Double(p.recordsCommitted) / active))}")
        }
    }
}
