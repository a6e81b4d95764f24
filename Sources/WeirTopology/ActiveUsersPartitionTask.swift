import WeirCore
import WeirPostgres

/// One task of an active-users topology: the ``ActiveUsers`` operator of one input
/// partition (whose users live nowhere else), the offsets it has read and committed, and
/// the bookkeeping of its chain of state chunks (a full snapshot, then deltas of the keys
/// dirtied since the previous checkpoint).
///
/// Used only by the job's polling thread.
final class ActiveUsersPartitionTask {
    let partition: Int32
    var state: ActiveUsers
    /// Next offset to read: everything before it is in ``state``.
    var nextOffset: Int64?
    /// The offset stored in `weir_offsets` as this member read or wrote it (compare-and-set).
    var committedOffset: Int64?
    /// Records read since the last checkpoint.
    var pendingRecords: Int64 = 0
    /// The sequence of the last committed chunk (0: none).
    var head: UInt64
    /// The newest committed full chunk (0: none), and the sequence its chain starts before.
    var lastFull: UInt64 = 0
    var fullBytes = 0
    var deltaBytesSinceFull = 0
    var deltasSinceFull = 0
    /// The next checkpoint writes a full snapshot (first one, or after restoring an older
    /// chain than the head because a chunk was corrupt).
    var forceFull = true
    /// The last day whose rows this task has written (``lastReportedDay`` as of its last
    /// checkpoint).
    var reportedThrough: Int?

    init(partition: Int32, configuration: ActiveUsersConfiguration, head: UInt64) {
        self.partition = partition
        self.state = ActiveUsers(configuration: configuration)
        self.head = head
    }

    /// Restores the task from the chain `selection` chose (a full chunk, then deltas).
    init(partition: Int32, configuration: ActiveUsersConfiguration, head: UInt64, restoring selection: StateChainSelection) throws(StateChunkError) {
        self.partition = partition
        self.state = try ActiveUsers(restoring: selection.chunks, configuration: configuration)
        self.head = head
        self.nextOffset = selection.nextOffset
        lastFull = selection.chunks.first?.sequence ?? 0
        fullBytes = selection.fullBytes
        deltaBytesSinceFull = selection.deltaBytesSinceFull
        deltasSinceFull = max(0, selection.chunks.count - 1)
        // A chain that ends before the head skipped corrupt chunks: start a new one.
        forceFull = selection.lastSequence != head
        reportedThrough = lastReportedDay
    }

    /// What one checkpoint of this task writes.
    struct Checkpoint {
        var write: TaskStateWrite
        var partial: ActiveUsersPartial?
        var keys: Int
        /// The encoded chunk (also in `write.bytes` when PostgreSQL stores it).
        var encoded: [UInt8]
        var chunkBytes: Int { encoded.count }
    }

    /// Whether the task has anything to checkpoint. Never before it has a position of its
    /// own: a task replaying its partition from the log start has none until its first
    /// record, and a checkpoint then would store empty state at the old offset.
    var needsCheckpoint: Bool {
        guard let nextOffset else { return false }
        return pendingRecords > 0 || nextOffset != committedOffset
    }

    /// The last day whose rows this task writes: its latest day plus the largest window
    /// minus one, after which none of its users is in any window. It depends on this task's
    /// state only, so every owner of the partition writes the same rows.
    var lastReportedDay: Int? {
        state.latestDay.map { $0 + (state.configuration.windows.last ?? 1) - 1 }
    }

    /// Encodes the state changed since the last checkpoint (or all of it, when a full
    /// snapshot is due) and the rows of the days that changed, through ``lastReportedDay``.
    func prepareCheckpoint(pipeline: TopologyDefinition.ActiveUsersPipeline, inlineBytes: Bool) -> Checkpoint {
        let full = forceFull || lastFull == 0 || deltasSinceFull >= pipeline.maxDeltasPerFull
            || Double(deltaBytesSinceFull) > pipeline.fullSnapshotRatio * Double(max(fullBytes, 4096))
        let (payload, keys) = state.checkpointPayload(full: full)
        let sequence = head + 1
        let offset = nextOffset ?? 0  // set: needsCheckpoint requires it
        let chunk = StateChunk(
            kind: full ? .full : .delta, stateFormat: ActiveUsers.stateFormatVersion, sequence: sequence,
            nextOffset: offset, keyCount: keys, payload: payload
        ).encoded()
        let write = TaskStateWrite(
            partition: partition, sequence: sequence, nextOffset: offset, isFull: full,
            bytes: inlineBytes ? chunk : nil, pruneBelow: full && lastFull > 0 ? lastFull : nil)

        var from = state.drainChangedDays()?.lowerBound
        var partial: ActiveUsersPartial?
        if let last = lastReportedDay {
            if let reported = reportedThrough, last > reported {
                from = min(from ?? (reported + 1), reported + 1)
            } else if reportedThrough == nil, from == nil {
                from = state.report().days.first?.day
            }
            partial = from.map { ActiveUsersPartial(partition: partition, fromDay: $0, report: state.report(fromDay: $0, throughDay: last)) }
        }
        return Checkpoint(write: write, partial: partial, keys: keys, encoded: chunk)
    }

    /// Records that `checkpoint` is durable.
    func committed(_ checkpoint: Checkpoint) {
        head = checkpoint.write.sequence
        if checkpoint.write.isFull {
            lastFull = head
            fullBytes = checkpoint.chunkBytes
            deltaBytesSinceFull = 0
            deltasSinceFull = 0
        } else {
            deltaBytesSinceFull += checkpoint.chunkBytes
            deltasSinceFull += 1
        }
        forceFull = false
        if let partial = checkpoint.partial, let last = partial.report.days.last?.day {
            reportedThrough = max(reportedThrough ?? last, last)
        }
        committedOffset = checkpoint.write.nextOffset
        pendingRecords = 0
    }
}
