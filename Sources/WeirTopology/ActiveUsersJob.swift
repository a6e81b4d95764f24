import Foundation
public import Logging
import Synchronization
import WeirCore
import WeirKafka
import WeirPostgres

/// Runs an `active_users` topology on the engine's keyed ``ActiveUsers`` operator: one
/// task per input partition (the topic is keyed by user, so each user lives in one task),
/// each counting exact DAU, the configured N-day windows and retention cohorts.
///
/// Every checkpoint (each `commit_interval_ms`, at a rebalance and at shutdown) writes, in
/// one PostgreSQL transaction, each task's changed result rows, its state chunk (only the
/// users and days dirtied since the previous one; a full snapshot now and then), the dead
/// letters and the input offsets. On assignment a task restores its newest usable chain of
/// chunks and resumes at the offset that chain covers.
///
/// ``run()`` blocks its thread; ``requestStop()`` may be called from any thread.
public final class ActiveUsersJob: Sendable {
    public let definition: TopologyDefinition
    let pipeline: TopologyDefinition.ActiveUsersPipeline
    private let logger: Logger
    private let stopFlag = Atomic<Bool>(false)
    private let progressState = Mutex(JobProgress())
    /// Whether ``run()`` deletes the operator's stored results and state first.
    public let resetState: Bool
    let createdAt = ContinuousClock.now

    public init(definition: TopologyDefinition, logger: Logger, resetState: Bool = false) throws(TopologyError) {
        guard let pipeline = definition.activeUsers else {
            throw TopologyError(.invalidValue, "not an active_users topology", file: definition.file, field: "aggregate.kind")
        }
        self.definition = definition
        self.pipeline = pipeline
        self.logger = logger
        self.resetState = resetState
    }

    /// The operator's name in Weir's tables (`weir_operators`, `weir_state_*`).
    public var operatorName: String { "active_users:\(definition.aggregate.table.name)" }

    public var progress: JobProgress { progressState.withLock { $0 } }

    public func requestStop() { stopFlag.store(true, ordering: .relaxed) }

    var stopRequested: Bool { stopFlag.load(ordering: .relaxed) }

    func updateProgress(_ body: (inout JobProgress) -> Void) { progressState.withLock { body(&$0) } }

    /// Consumes until ``requestStop()``; then checkpoints and leaves the group.
    public func run() throws(TopologyError) {
        logger.info("starting \(definition.summary) (active users, windows \(pipeline.configuration.windows), state in \(pipeline.stateStore))")
        let sink: PostgresActiveUsersSink
        do {
            sink = try PostgresActiveUsersSink(
                configuration: definition.sinkConfiguration, topic: definition.source.topic, operatorName: operatorName)
        } catch {
            throw TopologyError(.sink, "\(error)", file: definition.file, field: "sink.postgres")
        }
        var local: LocalStateDirectory?
        if case .local(let directory) = pipeline.stateStore {
            local = LocalStateDirectory(
                directory: directory, consumerGroup: definition.source.group, operatorName: operatorName, topic: definition.source.topic)
        }
        try OperatorStateCheck.verify(
            definition, operator: operatorName,
            fingerprint: OperatorStateCheck.fingerprint(activeUsers: definition, pipeline: pipeline), tables: [],
            reset: resetState, logger: logger, resetStatements: sink.resetStatements)
        if resetState { local?.removeAll() }

        let runner = ActiveUsersRunner(job: self, sink: sink, local: local, logger: logger)
        let consumer = try definition.makeConsumer { [runner] event in runner.rebalance(event) }
        runner.consumer = consumer
        defer { runner.consumer = nil }

        let failure = runUntilStopped(runner) { stopRequested }
        consumer.close()
        let shutdownError = failure ?? runner.failure
        logger.info("stopped \(definition.name): \(progress.recordsIn) records read, \(progress.recordsCommitted) committed, \(progress.deadLetters) dead letters")
        if let shutdownError { throw shutdownError }
    }
}
