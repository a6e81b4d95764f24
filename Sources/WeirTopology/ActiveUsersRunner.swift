import Foundation
import Logging
import WeirCore
import WeirKafka
import WeirPostgres

/// The polling thread's side of an ``ActiveUsersJob``: the tasks of the assigned
/// partitions, the pending dead letters, checkpoints and rebalances. Used only by the
/// thread inside ``ActiveUsersJob/run()`` (rebalances run on it too, inside `poll`).
final class ActiveUsersRunner: PollingTask {
    unowned let job: ActiveUsersJob
    let sink: PostgresActiveUsersSink
    let local: LocalStateDirectory?
    let logger: Logger
    let topic: String
    var consumer: KafkaConsumer?

    private var decoder: ActivityEventDecoder
    var tasks: [Int32: ActiveUsersPartitionTask] = [:]
    /// Partitions resumed at a stored offset whose first record has not arrived yet.
    var awaitingFirst: [Int32: Int64] = [:]
    private var deadLetters: [DeadLetter] = []
    private var pendingRecords: Int64 = 0
    var failure: TopologyError?
    var frozen = false
    private var firstRecordLogged = false
    private var lastCheckpoint = ContinuousClock.now
    private let interval: Duration
    private let maxPending: Int64
    private let metrics: TopologyMetrics

    init(job: ActiveUsersJob, sink: PostgresActiveUsersSink, local: LocalStateDirectory?, logger: Logger) {
        self.job = job
        self.sink = sink
        self.local = local
        self.logger = logger
        self.topic = job.definition.source.topic
        self.decoder = ActivityEventDecoder(configuration: job.definition.events)
        self.interval = .milliseconds(job.definition.sink.commitIntervalMilliseconds)
        self.maxPending = Int64(job.definition.sink.maxPendingEvents)
        self.metrics = TopologyMetrics(topology: job.definition.name)
    }

    var checkpointDue: Bool {
        pendingRecords >= maxPending || (pendingRecords > 0 && ContinuousClock.now - lastCheckpoint >= interval)
    }

    // MARK: Records

    func pollOnce() {
        guard let consumer else { return }
        let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
        let requireKey = job.pipeline.requireUserKey
        var counted: Int64 = 0
        var refused: Int64 = 0
        var task: ActiveUsersPartitionTask?
        // One decoder batch per poll: its buffers are pinned once, not per record. The batch
        // holds exclusive access to `decoder` for the whole poll, so nothing the poll calls
        // (rebalance callbacks included) may touch `decoder`.
        let read = decoder.withBatch { decoder in
            consumer.poll(maxMessages: 4096, timeoutMilliseconds: 100) { message in
                if task?.partition != message.partition { task = tasks[message.partition] }
                guard let task else { return }  // revoked in this batch: read again by its new owner
                if !awaitingFirst.isEmpty, let expected = awaitingFirst.removeValue(forKey: message.partition), message.offset > expected {
                    reportRetentionGap(topic: topic, partition: message.partition, from: expected, to: message.offset, logger: logger, progress: job.updateProgress)
                }
                var refusal: DeadLetterReason?
                let key = message.key
                let rejection = decoder.decode(message.payload, nowMillis: nowMillis) { user, millis in
                    if requireKey && !Self.equal(key, user) {
                        refusal = DeadLetterReason(
                            .keyNotUser,
                            "the message key is not the user id, so this user's counts could be split across partitions; produce events keyed by user id, or set aggregate.require_user_key: false if the producer partitions by user id another way")
                        return
                    }
                    let day = Int(millis.dividedFloor(by: 86_400_000))
                    if case .refused(let why) = task.state.record(day: day, userId: user) {
                        refusal = Self.deadLetterReason(why)
                    }
                }
                if let reason = rejection ?? refusal {
                    deadLetters.append(DeadLetter(message, topic: topic, reason: reason))
                    refused += 1
                } else {
                    counted += 1
                }
                task.nextOffset = message.offset + 1
                task.pendingRecords += 1
            }
        }
        guard read > 0 else { return }
        if !firstRecordLogged {
            firstRecordLogged = true
            let sinceStart = CommitRetry.milliseconds(ContinuousClock.now - job.createdAt)
            logger.info("first record processed", metadata: ["records": "\(read)", "since_start_ms": "\(Int(sinceStart))"])
        }
        pendingRecords += counted + refused
        job.updateProgress { p in
            p.recordsIn += Int64(read)
            p.eventsCounted += counted
            p.deadLetters += refused
        }
    }

    private static func equal(_ key: UnsafeBufferPointer<UInt8>?, _ user: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let key, key.count == user.count else { return false }
        guard let a = key.baseAddress, let b = user.baseAddress else { return key.count == 0 }
        return memcmp(a, b, key.count) == 0
    }

    static func deadLetterReason(_ refusal: ActiveUsersRefusal) -> DeadLetterReason {
        let day = CivilDate.isoString(ofDay: refusal.day)
        switch refusal.code {
        case .tooLate:
            return DeadLetterReason(
                .lateEvent,
                "event day \(day) is before \(CivilDate.isoString(ofDay: refusal.oldestAcceptedDay)), the oldest day still counted (latest day \(CivilDate.isoString(ofDay: refusal.latestDay)) minus aggregate.allowed_lateness_days)")
        case .dayOutOfRange:
            return DeadLetterReason(.dayOutOfRange, "event day \(day) is too far from the days already counted")
        }
    }

    func removeTask(_ partition: Int32) {
        tasks[partition] = nil
        awaitingFirst[partition] = nil
    }

    // MARK: Checkpoints

    /// Writes every task's changed rows and state chunk, the dead letters and the offsets
    /// in one transaction, retrying while PostgreSQL is unavailable.
    func checkpoint() throws(TopologyError) {
        guard !frozen else { return }
        let inline = local == nil
        // Every dead letter belongs to a due task (it moved that task's offset).
        let due = tasks.values.filter(\.needsCheckpoint).sorted { $0.partition < $1.partition }
        guard !due.isEmpty else { return }
        var prepared: [(ActiveUsersPartitionTask, ActiveUsersPartitionTask.Checkpoint)] = []
        var offsets: [TopicPartition: OffsetAdvance] = [:]
        var keys = 0
        var chunkBytes = 0
        var fulls = 0
        for task in due {
            let checkpoint = task.prepareCheckpoint(pipeline: job.pipeline, inlineBytes: inline)
            prepared.append((task, checkpoint))
            keys += checkpoint.keys
            chunkBytes += checkpoint.chunkBytes
            if checkpoint.write.isFull { fulls += 1 }
            offsets[TopicPartition(topic: topic, partition: task.partition)] = OffsetAdvance(
                expected: task.committedOffset, next: checkpoint.write.nextOffset)
        }
        let started = ContinuousClock.now
        if let local {
            // The chunk files must be durable before the transaction names them.
            for (task, checkpoint) in prepared {
                try writeLocal(local, task: task, checkpoint: checkpoint)
            }
        }
        let letters = deadLetters
        let records = pendingRecords
        // Bytes sent to PostgreSQL; with a local store the chunk files are added below.
        var stats = CommitStats(keys: keys, deadLetters: letters.count, partitions: offsets.count, bytes: 0)
        do {
            try CommitRetry(logger: logger, file: job.definition.file, records: records).run(
                offsets: offsets,
                stopRequested: { job.stopRequested },
                metrics: metrics, progress: job.updateProgress,
                attempt: { () throws(PostgresError) in
                    stats = try sink.commit(
                        partials: prepared.compactMap { $0.1.partial }, state: prepared.map { $0.1.write }, keys: keys,
                        deadLetters: letters, offsets: offsets)
                },
                reconnect: { () throws(PostgresError) in try sink.reconnect() },
                storedOffsets: { () throws(PostgresError) in try sink.storedOffsets() })
        } catch {
            if error.code == .fenced { failure = error }
            throw error
        }
        let milliseconds = CommitRetry.milliseconds(ContinuousClock.now - started)
        for (task, checkpoint) in prepared {
            task.committed(checkpoint)
            if let local, let below = checkpoint.write.pruneBelow { local.prune(partition: task.partition, below: below) }
        }
        deadLetters.removeAll(keepingCapacity: true)
        pendingRecords = 0
        lastCheckpoint = .now
        metrics.checkpoint(
            records: records, keys: keys, bytes: stats.bytes + (inline ? 0 : chunkBytes), deadLetters: letters.count,
            partitions: offsets.count, milliseconds: milliseconds,
            details: ["state_bytes": "\(chunkBytes)", "full_snapshots": "\(fulls)", "tasks": "\(prepared.count)"],
            logger: logger, progress: job.updateProgress)
        do {
            try consumer?.commit(offsets.mapValues(\.next))
        } catch {
            logger.debug("Kafka offset commit failed (PostgreSQL holds the offsets): \(error)")
        }
    }

    private func writeLocal(_ local: LocalStateDirectory, task: ActiveUsersPartitionTask, checkpoint: ActiveUsersPartitionTask.Checkpoint) throws(TopologyError) {
        var backoff = RetryBackoff()
        while true {
            do {
                try local.write(checkpoint.encoded, partition: task.partition, sequence: checkpoint.write.sequence)
                return
            } catch {
                logger.warning("cannot write state chunk (retrying in \(backoff.delay)): \(error)")
                if job.stopRequested {
                    throw TopologyError(.uncommittedAtShutdown, "stopping with an unwritten state chunk: \(error)", file: job.definition.file, field: "state.directory")
                }
                backoff.wait()
            }
        }
    }
}
