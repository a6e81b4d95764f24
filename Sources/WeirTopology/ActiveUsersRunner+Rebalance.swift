import Logging
import WeirCore
import WeirKafka
import WeirPostgres

extension ActiveUsersRunner {
    /// On assignment: restores each partition's task from its newest usable chain of state
    /// chunks and starts it at the offset that chain covers. On revocation: checkpoints,
    /// then drops the tasks (their next owner restores them from the store).
    func rebalance(_ event: KafkaConsumer.Rebalance) -> [TopicPartition: Int64] {
        switch event {
        case .assign(let partitions):
            var backoff = RetryBackoff()
            while true {
                do {
                    return try assign(partitions)
                } catch {
                    if let topologyError = error as? TopologyError {
                        // Not a connection problem: the stored state cannot be used.
                        logger.error("\(topologyError)")
                        failure = failure ?? topologyError
                        job.requestStop()
                        return [:]
                    }
                    if job.stopRequested {
                        let stopping = TopologyError(.sink, "stopping: the stored state and offsets could not be read (\(error))", file: job.definition.file, field: "sink.postgres")
                        failure = failure ?? stopping
                        return [:]
                    }
                    logger.warning("cannot read stored state and offsets, retrying in \(backoff.delay): \(error)")
                    backoff.wait()
                    try? sink.reconnect()
                }
            }
        case .revoke(let partitions):
            logger.info("revoking \(partitions.map(\.description).joined(separator: ", ")); checkpointing first")
            do {
                try checkpoint()
            } catch {
                logger.error("\(error)")
                failure = failure ?? error
            }
            for tp in partitions { removeTask(tp.partition) }
            job.updateProgress { $0.assignedPartitions = 0 }
            return [:]
        }
    }

    private func assign(_ partitions: [TopicPartition]) throws -> [TopicPartition: Int64] {
        let started = ContinuousClock.now
        let ids = partitions.map(\.partition)
        let stored = try sink.storedOffsets()
        let states = try sink.storedState(partitions: ids, withChunks: local == nil)
        let configuration = job.pipeline.configuration
        var result: [TopicPartition: Int64] = [:]
        var restored: [String] = []
        for tp in partitions {
            let p = tp.partition
            let head = states[p]?.head ?? 0
            let chunks = local.map { $0.load(partition: p, head: head) } ?? states[p]?.chunks ?? []
            let selection = StateChain.select(chunks)
            for problem in selection.problems {
                logger.error("\(topic)[\(p)]: state chunk unusable, falling back to an older checkpoint: \(problem)")
            }
            let task: ActiveUsersPartitionTask
            if selection.chunks.isEmpty {
                task = ActiveUsersPartitionTask(partition: p, configuration: configuration, head: head)
                if head > 0 || stored[tp] != nil {
                    // Results or offsets exist but no usable state: rebuild it from the log.
                    // The result rows are absolute, so they are rewritten, not added to.
                    logger.error("\(topic)[\(p)]: no usable state (head \(head), stored offset \(stored[tp].map(String.init) ?? "none")); replaying the partition from the start of the log")
                    result[tp] = KafkaStartPosition.earliest.rawOffset
                }
            } else {
                do {
                    task = try ActiveUsersPartitionTask(partition: p, configuration: configuration, head: head, restoring: selection)
                } catch {
                    throw TopologyError(
                        .stateUnreadable, "\(topic)[\(p)]: state chunks \(selection.chunks.first?.sequence ?? 0)...\(selection.lastSequence ?? 0) cannot be restored: \(error); start with --reset-state to rebuild this operator from the log",
                        file: job.definition.file, field: "state")
                }
                if let offset = selection.nextOffset { result[tp] = offset }
                restored.append("\(tp)@\(selection.nextOffset ?? 0) (\(task.state.distinctUsers) users, \(selection.chunks.count) chunks)")
            }
            task.committedOffset = stored[tp]
            tasks[p] = task
            if let offset = result[tp], offset >= 0 { awaitingFirst[p] = offset }
        }
        if !restored.isEmpty {
            let ms = Int(CommitRetry.milliseconds(ContinuousClock.now - started))
            logger.info("restored state in \(ms) ms: \(restored.joined(separator: ", "))")
        }
        logger.info("assigned \(partitions.map(\.description).joined(separator: ", ")); resuming from \(result.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "))")
        let count = tasks.count
        job.updateProgress { $0.assignedPartitions = count }
        return result
    }

    func refreshLag() {
        guard let consumer else { return }
        var positions: [Int32: Int64] = [:]
        for (p, task) in tasks { positions[p] = task.nextOffset ?? task.committedOffset }
        let value = consumerLag(consumer, positions: positions)
        // The latest day's totals over this process's tasks, for the progress line.
        var latest: DayTotals?
        if let day = tasks.values.compactMap({ $0.state.latestDay }).max() {
            var totals = DayTotals(day: day, dau: 0, events: 0)
            for task in tasks.values {
                if let row = task.state.totals(day: day) {
                    totals.dau += row.dau
                    totals.events += row.events
                }
            }
            latest = totals
        }
        job.updateProgress {
            $0.lag = value
            $0.latestDay = latest
        }
    }
}
