import Foundation
import Logging
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

/// Access to the real services the integration tests use: the PostgreSQL started by
/// scripts/test, librdkafka's mock cluster, and the built `weir` binary.
enum TestServices {
    struct MissingService: Error, CustomStringConvertible {
        var description: String
    }

    /// The URL scripts/test exports. A missing URL fails the test: it is never skipped.
    static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["WEIR_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw MissingService(description: "WEIR_TEST_POSTGRES_URL is not set: run the suite with scripts/test")
        }
        return url
    }

    /// A fresh name for a schema, group or topic.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `weir` executable built by `swift build --build-tests`.
    static var weirBinary: String {
        let candidates = [".build/debug/weir", ".build/x86_64-unknown-linux-gnu/debug/weir", ".build/aarch64-unknown-linux-gnu/debug/weir"]
        for c in candidates {
            let path = packageRoot.appendingPathComponent(c).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot.appendingPathComponent(".build/debug/weir").path
    }

    /// A topology for the tests: the product-analytics shape with test-specific names.
    /// `kind` is `daily_active_users` (the PostgreSQL-distinct job) or `active_users` (the
    /// engine's keyed operator, with state chunks in `state`).
    static func topology(
        bootstrap: String, topic: String, group: String, url: String, schema: String, commitMs: Int = 200,
        kind: String = "daily_active_users", state: String = "store: postgres"
    ) throws -> TopologyDefinition {
        try TopologyLoader.parse(
            yaml: """
                name: test-product-analytics
                source:
                  kafka:
                    bootstrap: \(bootstrap)
                    topic: \(topic)
                    group: \(group)
                    start: earliest
                    properties:
                      session.timeout.ms: "6000"
                events:
                  format: json
                  user_id: properties.user_id
                  timestamp: properties.timestamp
                aggregate:
                  kind: \(kind)
                  table: dau
                \(kind == "active_users" ? "state: {\(state)}" : "")
                sink:
                  postgres:
                    url: ${URL}
                    schema: \(schema)
                    dead_letter_table: weir_dead_letters
                    commit_interval_ms: \(commitMs)
                """,
            file: "test.yaml", environment: ["URL": url])
    }

    /// Produces records and waits until all are delivered.
    static func produce(_ bootstrap: String, topic: String, _ records: [(key: [UInt8]?, value: [UInt8])], partition: Int32? = nil) throws {
        let producer = try KafkaProducer(bootstrapServers: bootstrap)
        for r in records {
            try producer.send(topic: topic, partition: partition, key: r.key, value: r.value)
        }
        try producer.flush()
    }
}

/// Runs a job on its own thread, as `weir run` does, and stops it on request.
final class JobRunner: Sendable {
    let job: any RunningTopology
    private let done = DispatchSemaphore(value: 0)
    private let failure = LockedBox<String?>(nil)

    convenience init(_ definition: TopologyDefinition) {
        if definition.activeUsers != nil {
            // Cannot throw: the definition is an active_users one.
            self.init(job: try! ActiveUsersJob(definition: definition, logger: Logger(label: "test")))
        } else {
            self.init(job: DailyActiveUsersJob(definition: definition, logger: Logger(label: "test")))
        }
    }

    init(job: any RunningTopology) {
        self.job = job
        Thread { [job, done, failure] in
            do {
                try job.run()
            } catch {
                failure.set("\(error)")
            }
            done.signal()
        }.start()
    }

    /// Waits until `count` records are committed (or the timeout passes); returns whether they were.
    func waitForCommitted(_ count: Int64, timeout: Double = 90) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if job.progress.recordsCommitted >= count { return true }
            if failure.get() != nil { return false }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Requests a stop and waits for `run()` to return; returns its error, if any.
    @discardableResult
    func stop() -> String? {
        job.requestStop()
        done.wait()
        return failure.get()
    }
}

/// A tiny lock-protected box for test bookkeeping across threads.
final class LockedBox<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private var value: T
    private let lock = NSLock()

    init(_ value: T) { self.value = value }
    func get() -> T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
}
