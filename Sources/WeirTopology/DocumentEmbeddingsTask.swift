import Foundation
import Logging
import WeirCore
import WeirKafka
import WeirPostgres
import WeirVector

/// The per-process state of a running ``DocumentEmbeddingsJob``. Used only by the thread inside
/// ``DocumentEmbeddingsJob/run()`` (rebalances run on it too, inside `poll`).
final class DocumentEmbeddingsTask {
    unowned let job: DocumentEmbeddingsJob
    let sink: PostgresDocumentSink
    let logger: Logger
    let topic: String
    var consumer: KafkaConsumer?
    private var decoder: DocumentDecoder
    private let snapshots: LocalSnapshotStore?
    private let snapshotInterval: Duration

    /// The last change per document id since the last commit (later records win).
    private var pending: [String: PostgresDocumentRow?] = [:]
    private var deadLetters: [DeadLetter] = []
    private var pendingOffsets: [Int32: Int64] = [:]
    private var pendingRecords: Int64 = 0
    /// Next offset per assigned partition, committed or not (for lag).
    private var positions: [Int32: Int64] = [:]
    /// The offset stored in PostgreSQL per partition, as this member last read or wrote it.
    private var committed: [Int32: Int64] = [:]
    /// Partitions whose index is catching up: records below this offset are already in the table.
    private var replayUntil: [Int32: Int64] = [:]
    /// Where each partition's first record is expected after an assignment (retention check).
    private var awaitingFirst: [Int32: Int64] = [:]
    /// Partitions whose shard changed since its last snapshot.
    private var dirtyShards: Set<Int32> = []
    private var lastCommit = ContinuousClock.now
    private var lastSnapshot = ContinuousClock.now
    private let commitInterval: Duration
    private let maxPending: Int64
    private let metrics: TopologyMetrics
    var failure: TopologyError?
    var frozen = false
    /// Set when a stop was requested while the embedder was unavailable: the batch in hand is
    /// dropped uncommitted (it will be read again) and the job stops.
    var abandoned = false

    init(job: DocumentEmbeddingsJob, sink: PostgresDocumentSink) {
        self.job = job
        self.sink = sink
        self.logger = job.logger
        self.topic = job.definition.source.topic
        self.decoder = DocumentDecoder(configuration: job.pipeline.decoder)
        self.commitInterval = .milliseconds(job.definition.sink.commitIntervalMilliseconds)
        self.maxPending = Int64(job.definition.sink.maxPendingEvents)
        self.metrics = TopologyMetrics(topology: job.definition.name)
        self.snapshotInterval = .milliseconds(job.pipeline.snapshotIntervalMilliseconds)
        if let directory = job.pipeline.snapshotDirectory {
            let safe = { (s: String) in String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }) }
            snapshots = LocalSnapshotStore(directory: "\(directory)/\(safe(job.definition.name))/\(safe(job.definition.source.group))")
        } else {
            snapshots = nil
        }
    }

    var commitDue: Bool {
        pendingRecords >= maxPending || (pendingRecords > 0 && ContinuousClock.now - lastCommit >= commitInterval)
    }

    /// One record of a poll batch, copied out of librdkafka's buffer.
    private struct Received {
        var partition: Int32
        var offset: Int64
        var change: Result<DocumentChange, DeadLetterReason>
        var raw: [UInt8]
    }

    func pollOnce() throws(TopologyError) {
        guard let consumer else { return }
        var batch: [Received] = []
        // Small batches: embedding and indexing cost far more per record than counting, and a
        // stop or a due commit waits for the batch in hand.
        let read = consumer.poll(maxMessages: 256, timeoutMilliseconds: 100) { message in
            if !awaitingFirst.isEmpty, let expected = awaitingFirst.removeValue(forKey: message.partition), message.offset > expected {
                reportRetentionGap(topic: topic, partition: message.partition, from: expected, to: message.offset, logger: logger, progress: job.updateProgress)
            }
            let change = decoder.decode(payload: message.payload, key: message.key, isTombstone: message.isTombstone)
            let raw: [UInt8]
            if case .failure = change { raw = Array(message.payload) } else { raw = [] }
            batch.append(Received(partition: message.partition, offset: message.offset, change: change, raw: raw))
            positions[message.partition] = message.offset + 1
        }
        guard read > 0 else { return }

        // Records the table already holds only bring the index up to date.
        var replayed: [(partition: Int32, id: String)] = []
        var fresh: [Received] = []
        for record in batch {
            if let until = replayUntil[record.partition], record.offset < until {
                if case .success(let change) = record.change { replayed.append((record.partition, change.id)) }
            } else {
                fresh.append(record)
            }
        }
        if !replayed.isEmpty { try catchUp(replayed) }
        for p in Set(batch.map(\.partition)) {
            if let until = replayUntil[p], let last = batch.last(where: { $0.partition == p }), last.offset + 1 >= until {
                replayUntil[p] = nil
                logger.info("\(topic)[\(p)]: index caught up with the table at offset \(until)")
            }
        }
        guard !fresh.isEmpty else { return }

        let vectors = try embed(fresh)
        guard let vectors else { return }  // abandoned: stop requested while the embedder was down
        var refused: Int64 = 0
        for (i, record) in fresh.enumerated() {
            pendingOffsets[record.partition] = record.offset + 1
            switch record.change {
            case .failure(let reason):
                deadLetter(record, reason)
                refused += 1
            case .success(.delete(let id)):
                job.index.remove(id: id)
                pending[id] = .some(nil)
                dirtyShards.insert(record.partition)
            case .success(.upsert(let document)):
                switch vectors[i] {
                case .failure(let reason):
                    deadLetter(record, reason)
                    refused += 1
                case .success(let vector):
                    do {
                        try job.index.upsert(id: document.id, vector: vector, metadata: document.metadata, partition: record.partition)
                    } catch {
                        deadLetter(record, DeadLetterReason(.invalidEmbedding, "\(error)"))
                        refused += 1
                        continue
                    }
                    dirtyShards.insert(record.partition)
                    pending[document.id] = PostgresDocumentRow(
                        documentID: document.id, content: document.content, embedding: VectorLiteral.format(vector),
                        metadataJSON: document.metadataJSON)
                }
            }
        }
        pendingRecords += Int64(fresh.count)
        let indexed = job.index.count
        job.updateProgress { p in
            p.recordsIn += Int64(fresh.count)
            p.eventsCounted += Int64(fresh.count) - refused
            p.deadLetters += refused
            p.indexedDocuments = indexed
        }
    }

    private func deadLetter(_ record: Received, _ reason: DeadLetterReason) {
        deadLetters.append(DeadLetter(
            source: TopicPartition(topic: topic, partition: record.partition), offset: record.offset, reason: reason,
            raw: record.raw))
    }

    /// The vector of every upsert in `records` (by position; other positions hold a dummy):
    /// carried ones as they are, the rest from the embedder in one call. A refused text
    /// becomes a dead letter; an unavailable embedder is retried with backoff. nil when a stop
    /// was requested meanwhile.
    private func embed(_ records: [Received]) throws(TopologyError) -> [Result<[Float], DeadLetterReason>]? {
        var results = [Result<[Float], DeadLetterReason>](repeating: .success([]), count: records.count)
        var positions: [Int] = []
        var texts: [String] = []
        for (i, record) in records.enumerated() {
            guard case .success(.upsert(let document)) = record.change else { continue }
            if let carried = document.embedding {
                results[i] = .success(carried)
            } else {
                positions.append(i)
                texts.append(document.content)
            }
        }
        guard !texts.isEmpty else { return results }
        var backoff = RetryBackoff(first: .milliseconds(200), cap: .seconds(30))
        while true {
            do {
                let vectors = try embedIsolatingRefusals(texts)
                for (j, i) in positions.enumerated() { results[i] = vectors[j] }
                return results
            } catch {
                if error.code == .embedderUnauthorized || error.code == .invalidConfiguration {
                    throw TopologyError(.embedder, "\(error)", file: job.definition.file, field: "embedder")
                }
                logger.warning("embedding \(texts.count) documents failed, retrying in \(backoff.delay) (offsets are held): \(error)")
                job.updateProgress { $0.failedEmbeddingAttempts += 1 }
                if job.stopRequested {
                    logger.warning("stopping while the embedder is unavailable: \(records.count) records stay uncommitted and will be read again on the next start")
                    abandoned = true
                    return nil
                }
                backoff.wait()
            }
        }
    }

    /// Embeds `texts`; when the service refuses the batch, embeds them one by one so that only
    /// the refused documents become dead letters.
    private func embedIsolatingRefusals(_ texts: [String]) throws(VectorError) -> [Result<[Float], DeadLetterReason>] {
        do {
            return try job.embedder.embed(texts).map { .success($0) }
        } catch where error.code == .embedderRejected && texts.count > 1 {
            var results: [Result<[Float], DeadLetterReason>] = []
            for text in texts {
                do {
                    results.append(.success(try job.embedder.embed([text])[0]))
                } catch where error.code == .embedderRejected {
                    results.append(.failure(DeadLetterReason(.embeddingRejected, "\(error)")))
                }
            }
            return results
        } catch where error.code == .embedderRejected {
            return [.failure(DeadLetterReason(.embeddingRejected, "\(error)"))]
        }
    }

    /// Brings the index up to the table for documents whose records lie below the committed
    /// offset: each takes the table's current row, or leaves the index when the table has none.
    private func catchUp(_ replayed: [(partition: Int32, id: String)]) throws(TopologyError) {
        var lastPartition: [String: Int32] = [:]
        for (p, id) in replayed { lastPartition[id] = p }
        var rows: [String: (embedding: String, metadataJSON: String)] = [:]
        var backoff = RetryBackoff()
        while true {
            do {
                rows = try sink.fetch(ids: Array(lastPartition.keys))
                break
            } catch {
                logger.warning("cannot read documents to catch the index up, retrying in \(backoff.delay): \(error)")
                if job.stopRequested {
                    abandoned = true
                    return
                }
                backoff.wait()
                try? sink.reconnect()
            }
        }
        for (id, p) in lastPartition {
            if let row = rows[id], let vector = VectorLiteral.parse(row.embedding) {
                do {
                    try job.index.upsert(id: id, vector: vector, metadata: DocumentDecoder.metadataStrings(json: row.metadataJSON), partition: p)
                } catch {
                    logger.error("document \(id) in the table cannot be indexed: \(error)")
                }
            } else {
                job.index.remove(id: id)
            }
            dirtyShards.insert(p)
        }
        let count = Int64(replayed.count)
        let indexed = job.index.count
        job.updateProgress {
            $0.recordsReplayedIntoIndex += count
            $0.indexedDocuments = indexed
        }
    }

    func refreshLag() {
        guard let consumer else { return }
        let value = consumerLag(consumer, positions: positions)
        job.updateProgress { $0.lag = value }
    }

    /// Commits pending rows, deletions, dead letters and offsets in one transaction; then
    /// snapshots the index when a snapshot is due.
    func commit() throws(TopologyError) {
        guard !frozen, pendingRecords > 0 || !pendingOffsets.isEmpty else { return }
        var rows: [PostgresDocumentRow] = []
        var deletions: [String] = []
        for (id, change) in pending {
            if let row = change { rows.append(row) } else { deletions.append(id) }
        }
        let letters = deadLetters
        var offsets: [TopicPartition: OffsetAdvance] = [:]
        for (p, next) in pendingOffsets {
            offsets[TopicPartition(topic: topic, partition: p)] = OffsetAdvance(expected: committed[p], next: next)
        }
        let records = pendingRecords
        let started = ContinuousClock.now
        var bytes = 0
        do {
            try CommitRetry(logger: logger, file: job.definition.file, records: records).run(
                offsets: offsets,
                stopRequested: { job.stopRequested },
                metrics: metrics, progress: job.updateProgress,
                attempt: { () throws(PostgresError) in
                    bytes = try sink.commit(upserts: rows, deletions: deletions, deadLetters: letters, offsets: offsets)
                },
                reconnect: { () throws(PostgresError) in try sink.reconnect() },
                storedOffsets: { () throws(PostgresError) in try sink.storedOffsets(topics: [topic]) })
        } catch {
            if error.code == .fenced { failure = error }
            throw error
        }
        let milliseconds = CommitRetry.milliseconds(ContinuousClock.now - started)
        for (tp, advance) in offsets { committed[tp.partition] = advance.next }
        pending.removeAll(keepingCapacity: true)
        deadLetters.removeAll(keepingCapacity: true)
        pendingOffsets.removeAll(keepingCapacity: true)
        pendingRecords = 0
        lastCommit = .now
        metrics.checkpoint(
            records: records, keys: rows.count + deletions.count, bytes: bytes, deadLetters: letters.count,
            partitions: offsets.count, milliseconds: milliseconds,
            details: ["upserts": "\(rows.count)", "deletes": "\(deletions.count)"], logger: logger, progress: job.updateProgress)
        // Kafka's copy of the offsets is for lag monitoring only; PostgreSQL is the source of truth.
        do {
            try consumer?.commit(offsets.mapValues(\.next))
        } catch {
            logger.debug("Kafka offset commit failed (PostgreSQL holds the offsets): \(error)")
        }
        if ContinuousClock.now - lastSnapshot >= snapshotInterval { snapshotAll(reason: "interval") }
    }

    /// Writes the snapshot of every changed shard whose partition has nothing uncommitted, so
    /// that a snapshot never covers records the table does not hold.
    func snapshotAll(reason: String) {
        lastSnapshot = .now
        guard let snapshots, pendingRecords == 0 else { return }
        for p in dirtyShards.sorted() {
            guard let position = committed[p], replayUntil[p] == nil else { continue }
            let shard = job.index.shard(p)
            let started = ContinuousClock.now
            let payload = shard.snapshot()
            do {
                try snapshots.save(name: snapshotName(p), position: position, payload: payload)
                dirtyShards.remove(p)
                job.updateProgress { $0.snapshotsWritten += 1 }
                logger.info(
                    "index snapshot written",
                    metadata: [
                        "partition": "\(p)", "offset": "\(position)", "documents": "\(shard.count)", "bytes": "\(payload.count)",
                        "duration_ms": "\((CommitRetry.milliseconds(ContinuousClock.now - started) * 10).rounded() / 10)",
                        "reason": "\(reason)",
                    ])
            } catch {
                logger.error("index snapshot of partition \(p) failed (the previous one stays): \(error)")
            }
        }
    }

    private func snapshotName(_ partition: Int32) -> String { "\(topic)-\(partition).hnsw" }

    func rebalance(_ event: KafkaConsumer.Rebalance) -> [TopicPartition: Int64] {
        switch event {
        case .assign(let partitions):
            var backoff = RetryBackoff()
            var stored: [TopicPartition: Int64] = [:]
            while true {
                do {
                    stored = try sink.storedOffsets(topics: [topic])
                    break
                } catch {
                    logger.warning("cannot read stored offsets, retrying in \(backoff.delay): \(error)")
                    backoff.wait()
                    try? sink.reconnect()
                }
            }
            var result: [TopicPartition: Int64] = [:]
            for tp in partitions {
                let p = tp.partition
                committed[p] = stored[tp]
                guard let committedOffset = stored[tp] else {
                    // Nothing committed yet: a fresh shard, and the source's start position.
                    job.index.drop(p)
                    snapshots?.remove(name: snapshotName(p))
                    continue
                }
                let start = restoreShard(p, committedOffset: committedOffset)
                result[tp] = start
                positions[p] = max(start, 0)
                if start != committedOffset { replayUntil[p] = committedOffset }
                awaitingFirst[p] = start >= 0 ? start : nil
            }
            logger.info("assigned \(partitions.map(\.description).joined(separator: ", ")); reading from \(result.map { "\($0.key)=\($0.value < 0 ? "log start" : String($0.value))" }.sorted().joined(separator: ", "))")
            let indexed = job.index.count
            job.updateProgress {
                $0.assignedPartitions = partitions.count
                $0.indexedDocuments = indexed
            }
            return result
        case .revoke(let partitions):
            logger.info("revoking \(partitions.map(\.description).joined(separator: ", ")); committing first")
            do {
                try commit()
                snapshotAll(reason: "revoke")
            } catch {
                logger.error("\(error)")
                failure = failure ?? error
            }
            for tp in partitions {
                positions[tp.partition] = nil
                committed[tp.partition] = nil
                replayUntil[tp.partition] = nil
                awaitingFirst[tp.partition] = nil
                dirtyShards.remove(tp.partition)
                job.index.drop(tp.partition)
            }
            job.updateProgress { $0.assignedPartitions = 0 }
            return [:]
        }
    }

    /// Installs the partition's shard from its newest usable snapshot and returns the offset to
    /// read from: the snapshot's, or the start of the log when there is none.
    private func restoreShard(_ p: Int32, committedOffset: Int64) -> Int64 {
        let fromLogStart = KafkaStartPosition.earliest.rawOffset
        guard let snapshots else {
            job.index.drop(p)
            return fromLogStart
        }
        let name = snapshotName(p)
        let loaded = snapshots.load(name: name) { problem in
            logger.error("index snapshot unusable, falling back to the previous one: \(problem)")
        }
        guard let loaded else {
            logger.info("\(topic)[\(p)]: no usable index snapshot; rebuilding the shard from the start of the log up to the committed offset \(committedOffset)")
            job.index.drop(p)
            return fromLogStart
        }
        guard loaded.position <= committedOffset else {
            logger.error("\(topic)[\(p)]: the index snapshot covers offset \(loaded.position), beyond the committed \(committedOffset) (was the table restored?); rebuilding the shard from the log")
            job.index.drop(p)
            return fromLogStart
        }
        do {
            let started = ContinuousClock.now
            let shard = try HNSWIndex(snapshot: loaded.payload)
            try job.index.install(shard, for: p)
            logger.info(
                "index shard loaded from snapshot",
                metadata: [
                    "partition": "\(p)", "offset": "\(loaded.position)", "documents": "\(shard.count)",
                    "previous": "\(loaded.isPrevious)",
                    "duration_ms": "\((CommitRetry.milliseconds(ContinuousClock.now - started) * 10).rounded() / 10)",
                ])
            return loaded.position
        } catch {
            logger.error("\(topic)[\(p)]: the index snapshot passed its checksum but cannot be loaded (\(error)); rebuilding the shard from the log")
            job.index.drop(p)
            return fromLogStart
        }
    }
}
