import Foundation
import Logging
import WeirCore
import WeirPostgres

/// The retry policy of a topology's commits: retry with exponential backoff while PostgreSQL is
/// unavailable, check after a lost connection whether the interrupted COMMIT landed, stop on
/// fencing, and give up only when a stop was requested.
struct CommitRetry {
    let logger: Logger
    let file: String
    /// Records the commit covers, for messages.
    let records: Int64

    /// Runs `attempt` until it succeeds. After a lost connection it reads `storedOffsets`: if
    /// every partition already sits at the commit's target in `offsets`, the COMMIT went
    /// through before the connection dropped, and it is not applied twice.
    func run(
        offsets: [TopicPartition: OffsetAdvance],
        stopRequested: () -> Bool,
        onRetry: (String) -> Void,
        attempt: () throws(PostgresError) -> Void,
        reconnect: () throws(PostgresError) -> Void,
        storedOffsets: () throws(PostgresError) -> [TopicPartition: Int64]
    ) throws(TopologyError) {
        var backoff = RetryBackoff()
        var tries = 0
        while true {
            tries += 1
            do {
                try attempt()
                return
            } catch {
                if error.code == .fenced {
                    let failure = TopologyError(.fenced, "\(error); stopping so that a restart resumes from the stored offsets", file: file, field: "sink.postgres")
                    logger.error("\(failure)")
                    throw failure
                }
                let message = "\(error)"
                logger.warning("commit failed (attempt \(tries), retrying in \(backoff.delay)): \(message)")
                onRetry(message)
                if stopRequested() && tries >= 5 {
                    throw TopologyError(
                        .uncommittedAtShutdown,
                        "stopping with \(records) records uncommitted after \(tries) attempts (\(message)); they will be read again on the next start",
                        file: file, field: "sink.postgres")
                }
                backoff.wait()
                do {
                    try reconnect()
                    // A lost connection leaves the outcome of COMMIT unknown: if the offsets
                    // already moved to where this commit takes them, it landed.
                    let stored = try storedOffsets()
                    if !offsets.isEmpty && offsets.allSatisfy({ stored[$0.key] == $0.value.next }) {
                        logger.info("the interrupted commit had landed; continuing")
                        return
                    }
                } catch {
                    logger.debug("reconnect failed: \(error)")
                }
            }
        }
    }

    /// Blocks the calling (topology) thread.
    static func sleep(_ duration: Duration) {
        Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Milliseconds of a duration, for logs.
    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

extension CommitRetry {
    /// ``run(offsets:stopRequested:onRetry:attempt:reconnect:storedOffsets:)`` for a job:
    /// each retry is counted in `metrics` and shown in the job's progress counters.
    func run(
        offsets: [TopicPartition: OffsetAdvance],
        stopRequested: () -> Bool,
        metrics: TopologyMetrics,
        progress: ((inout JobProgress) -> Void) -> Void,
        attempt: () throws(PostgresError) -> Void,
        reconnect: () throws(PostgresError) -> Void,
        storedOffsets: () throws(PostgresError) -> [TopicPartition: Int64]
    ) throws(TopologyError) {
        try run(
            offsets: offsets, stopRequested: stopRequested,
            onRetry: { message in
                metrics.commitRetries.increment()
                progress {
                    $0.lastCommitError = message
                    $0.failedCommitAttempts += 1
                }
            },
            attempt: attempt, reconnect: reconnect, storedOffsets: storedOffsets)
    }
}
