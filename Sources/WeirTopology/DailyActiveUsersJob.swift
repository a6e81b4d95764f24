import Foundation
public import Logging
import Synchronization
import WeirCore
import WeirKafka
import WeirPostgres

/// Runs the daily-active-users topology: consumes the topic as a member of the consumer
/// group, counts exact distinct users per UTC day, and commits results, dead letters and
/// input offsets to PostgreSQL in one transaction at every commit interval.
///
/// After any crash a restart resumes from the offsets stored with the committed rows, so
/// nothing is lost and nothing is counted twice. ``run()`` blocks its thread (it is not for
/// Swift's cooperative pool); ``requestStop()`` may be called from any thread, including a
/// signal handler's queue.
public final class DailyActiveUsersJob: Sendable {
    public let definition: TopologyDefinition
    private let logger: Logger
    private let stopFlag = Atomic<Bool>(false)
    private let progressState = Mutex(JobProgress())

    /// Whether ``run()`` deletes the operator's stored state first (`weir run --reset-state`).
    public let resetState: Bool
    /// When the job was made (at process start in `weir run`), for the recovery-time log line.
    let createdAt = ContinuousClock.now

    public init(definition: TopologyDefinition, logger: Logger, resetState: Bool = false) {
        self.definition = definition
        self.logger = logger
        self.resetState = resetState
    }

    /// The latest counters.
    public var progress: JobProgress { progressState.withLock { $0 } }

    /// Asks ``run()`` to stop consuming, commit what it holds and return.
    public func requestStop() { stopFlag.store(true, ordering: .relaxed) }

    var stopRequested: Bool { stopFlag.load(ordering: .relaxed) }

    /// Consumes until ``requestStop()``; then commits and leaves the group.
    /// Throws at start-up when PostgreSQL or Kafka cannot be set up, and at shutdown when
    /// pending results could not be committed (they will be re-read on the next start).
    public func run() throws(TopologyError) {
        logger.info("starting \(definition.summary)")
        let sink: PostgresDailyActiveUsersSink
        do {
            sink = try PostgresDailyActiveUsersSink(configuration: definition.sinkConfiguration)
        } catch {
            throw TopologyError(.sink, "\(error)", file: definition.file, field: "sink.postgres")
        }
        try OperatorStateCheck.verify(
            definition, operator: "daily_active_users:\(definition.aggregate.table.name)",
            fingerprint: OperatorStateCheck.fingerprint(dailyActiveUsers: definition), tables: sink.stateTables,
            reset: resetState, logger: logger)
        let task = DailyActiveUsersTask(job: self, sink: sink, logger: logger)
        let consumer = try definition.makeConsumer { [task] event in task.rebalance(event) }
        task.consumer = consumer
        defer { task.consumer = nil }

        let failure = runUntilStopped(task) { stopRequested }
        consumer.close()
        let shutdownError = failure ?? task.failure
        logger.info("stopped \(definition.name): \(progress.recordsIn) records read, \(progress.recordsCommitted) committed, \(progress.deadLetters) dead letters")
        if let shutdownError { throw shutdownError }
    }

    func updateProgress(_ body: (inout JobProgress) -> Void) {
        progressState.withLock { body(&$0) }
    }
}

/// The per-process state of a running ``DailyActiveUsersJob``: decoder, aggregate, pending
/// dead letters and offsets. Used only by the thread inside ``DailyActiveUsersJob/run()``
/// (rebalances run on it too, inside `poll`).
final class DailyActiveUsersTask: PollingTask {
    unowned let job: DailyActiveUsersJob
    let sink: PostgresDailyActiveUsersSink
    let logger: Logger
    let topic: String
    var consumer: KafkaConsumer?

    private var decoder: ActivityEventDecoder
    private var dau = ExactDailyActiveUsers()
    private var deadLetters: [DeadLetter] = []
    /// Next offset to read per partition, for records processed but not committed.
    private var pendingOffsets: [Int32: Int64] = [:]
    /// Next offset per assigned partition, committed or not (for lag).
    private var positions: [Int32: Int64] = [:]
    /// The offset stored in PostgreSQL per partition, as this member last read or wrote it.
    private var committed: [Int32: Int64] = [:]
    private var pendingRecords: Int64 = 0
    /// Partitions assigned with a stored offset whose first record has not arrived yet.
    private var awaitingFirst: [Int32: Int64] = [:]
    /// Set when a commit failed for good (fenced); the job stops.
    var failure: TopologyError?
    /// Whether the "first record processed" line (recovery time) was logged.
    private var firstRecordLogged = false
    /// Once set, commits are refused (the job is stopping after a failure).
    var frozen = false
    private var lastCommit = ContinuousClock.now
    private let commitInterval: Duration
    private let maxPending: Int64
    private let metrics: TopologyMetrics

    init(job: DailyActiveUsersJob, sink: PostgresDailyActiveUsersSink, logger: Logger) {
        self.job = job
        self.sink = sink
        self.logger = logger
        self.topic = job.definition.source.topic
        self.decoder = ActivityEventDecoder(configuration: job.definition.events)
        self.commitInterval = .milliseconds(job.definition.sink.commitIntervalMilliseconds)
        self.maxPending = Int64(job.definition.sink.maxPendingEvents)
        self.metrics = TopologyMetrics(topology: job.definition.name)
    }

    var checkpointDue: Bool {
        pendingRecords >= maxPending || (pendingRecords > 0 && ContinuousClock.now - lastCommit >= commitInterval)
    }

    func pollOnce() {
        guard let consumer else { return }
        let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
        var counted: Int64 = 0
        var refused: Int64 = 0
        var runPartition: Int32 = -1
        var runNext: Int64 = 0
        // One decoder batch per poll: its buffers are pinned once, not per record. The batch
        // holds exclusive access to `decoder` for the whole poll, so nothing the poll calls
        // (rebalance callbacks included) may touch `decoder`.
        let read = decoder.withBatch { decoder in
            consumer.poll(maxMessages: 4096, timeoutMilliseconds: 100) { message in
                if !awaitingFirst.isEmpty, let expected = awaitingFirst.removeValue(forKey: message.partition),
                    message.offset > expected
                {
                    reportRetentionGap(topic: topic, partition: message.partition, from: expected, to: message.offset, logger: logger, progress: job.updateProgress)
                }
                let rejection = decoder.decode(message.payload, nowMillis: nowMillis) { user, millis in
                    dau.record(day: Int(millis.dividedFloor(by: 86_400_000)), userId: user)
                }
                if let rejection {
                    deadLetters.append(DeadLetter(message, topic: topic, reason: rejection))
                    refused += 1
                } else {
                    counted += 1
                }
                // A batch holds runs of one partition in offset order: write the next offset once
                // per run, not once per record.
                if message.partition != runPartition {
                    if runPartition >= 0 { pendingOffsets[runPartition] = runNext }
                    runPartition = message.partition
                }
                runNext = message.offset + 1
            }
        }
        guard read > 0 else { return }
        pendingOffsets[runPartition] = runNext
        if !firstRecordLogged {
            firstRecordLogged = true
            let sinceStart = CommitRetry.milliseconds(ContinuousClock.now - job.createdAt)
            logger.info("first record processed", metadata: ["records": "\(read)", "since_start_ms": "\(Int(sinceStart))"])
        }
        pendingRecords += Int64(read)
        for (p, o) in pendingOffsets { positions[p] = o }
        let summary = dau.daySummary
        job.updateProgress { p in
            p.recordsIn += Int64(read)
            p.eventsCounted += counted
            p.deadLetters += refused
            p.daysSeen = summary.days
            p.latestDay = summary.latest
        }
    }

    /// Commits everything pending in one PostgreSQL transaction, retrying with backoff
    /// while the database is unavailable. Gives up only when a stop was requested.
    func checkpoint() throws(TopologyError) {
        guard !frozen, pendingRecords > 0 || !pendingOffsets.isEmpty else { return }
        let delta = dau.drainDelta()
        let letters = deadLetters
        var offsets: [TopicPartition: OffsetAdvance] = [:]
        for (p, next) in pendingOffsets {
            offsets[TopicPartition(topic: topic, partition: p)] = OffsetAdvance(expected: committed[p], next: next)
        }
        let records = pendingRecords
        let started = ContinuousClock.now
        var stats = CommitStats(keys: delta.newPairCount, deadLetters: letters.count, partitions: offsets.count, bytes: 0)
        do {
            try CommitRetry(logger: logger, file: job.definition.file, records: records).run(
                offsets: offsets,
                stopRequested: { job.stopRequested },
                metrics: metrics, progress: job.updateProgress,
                attempt: { () throws(PostgresError) in stats = try sink.commit(delta, deadLetters: letters, offsets: offsets) },
                reconnect: { () throws(PostgresError) in try sink.reconnect() },
                storedOffsets: { () throws(PostgresError) in try sink.storedOffsets(topics: [topic]) })
        } catch {
            if error.code == .fenced { self.failure = error }
            throw error
        }
        let milliseconds = CommitRetry.milliseconds(ContinuousClock.now - started)
        for (tp, advance) in offsets { committed[tp.partition] = advance.next }
        deadLetters.removeAll(keepingCapacity: true)
        pendingOffsets.removeAll(keepingCapacity: true)
        pendingRecords = 0
        lastCommit = .now
        metrics.checkpoint(
            records: records, keys: stats.keys, bytes: stats.bytes, deadLetters: stats.deadLetters,
            partitions: stats.partitions, milliseconds: milliseconds, logger: logger, progress: job.updateProgress)
        // Kafka's copy of the offsets is for lag monitoring only; PostgreSQL is the source of truth.
        do {
            try consumer?.commit(offsets.mapValues(\.next))
        } catch {
            logger.debug("Kafka offset commit failed (PostgreSQL holds the offsets): \(error)")
        }
    }

    func rebalance(_ event: KafkaConsumer.Rebalance) -> [TopicPartition: Int64] {
        switch event {
        case .assign(let partitions):
            var backoff = RetryBackoff()
            while true {
                do {
                    let stored = try sink.storedOffsets(topics: [topic])
                    var result: [TopicPartition: Int64] = [:]
                    for tp in partitions {
                        committed[tp.partition] = stored[tp]
                        awaitingFirst[tp.partition] = stored[tp]
                        if let offset = stored[tp] {
                            result[tp] = offset
                            positions[tp.partition] = offset
                        }
                    }
                    logger.info("assigned \(partitions.map(\.description).joined(separator: ", ")); resuming from stored offsets \(result.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "))")
                    job.updateProgress { $0.assignedPartitions = partitions.count }
                    return result
                } catch {
                    logger.warning("cannot read stored offsets, retrying in \(backoff.delay): \(error)")
                    backoff.wait()
                    try? sink.reconnect()
                }
            }
        case .revoke(let partitions):
            logger.info("revoking \(partitions.map(\.description).joined(separator: ", ")); committing first")
            do {
                try checkpoint()
            } catch {
                logger.error("\(error)")
                failure = failure ?? error
            }
            for tp in partitions {
                positions[tp.partition] = nil
                committed[tp.partition] = nil
                awaitingFirst[tp.partition] = nil
            }
            job.updateProgress { $0.assignedPartitions = 0 }
            return [:]
        }
    }

    func refreshLag() {
        guard let consumer else { return }
        let value = consumerLag(consumer, positions: positions)
        job.updateProgress { $0.lag = value }
    }
}
