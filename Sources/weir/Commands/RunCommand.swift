import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import WeirPostgres
import WeirServer
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

    @Option(help: "Serve HTTP (search, /metrics, /v1/status) on HOST:PORT; overrides server.listen ('off' disables, port 0 picks one).")
    var http: String?

    @Flag(help: "Delete this topology's stored results, offsets and snapshots first, and read the topic again from the start position (needed after a change the stored state does not fit).")
    var resetState = false

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
        if let http {
            if http == "off" {
                definition.server = nil
            } else if let settings = TopologyDefinition.HTTPServerSettings(listen: http) {
                definition.server = settings
            } else {
                Console.err("error: --http: expected HOST:PORT or off, got '\(http)'")
                throw ExitCode(2)
            }
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "weir.run")
        let job: any RunningTopology
        var search: VectorSearchService?
        switch definition.aggregate {
        case .dailyActiveUsers:
            job = DailyActiveUsersJob(definition: definition, logger: logger, resetState: resetState)
        case .activeUsers:
            do {
                job = try ActiveUsersJob(definition: definition, logger: logger, resetState: resetState)
            } catch {
                Console.err("error: \(error)")
                throw ExitCode(2)
            }
        case .documentEmbeddings:
            do {
                let documents = try DocumentEmbeddingsJob(definition: definition, logger: logger, resetState: resetState)
                search = VectorSearchService(index: documents.index, embedder: documents.embedder)
                job = documents
            } catch {
                Console.err("error: \(error)")
                throw ExitCode(2)
            }
        }
        let server = definition.server.map { settings in
            ServerRunner.start(settings: settings, registry: registry, search: search, job: job, logger: Logger(label: "weir.http"))
        }
        defer { server?.cancel() }
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
