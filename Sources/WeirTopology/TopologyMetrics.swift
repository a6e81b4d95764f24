import Logging
import Metrics

/// The metrics a topology records through swift-metrics (exported by `weir run` on
/// `/metrics` in Prometheus format): checkpoint duration, bytes and keys, records and dead
/// letters, commit retries. Labelled with the topology name.
struct TopologyMetrics {
    let checkpointDuration: Metrics.Timer
    let checkpointBytes: Counter
    let checkpointKeys: Gauge
    let checkpoints: Counter
    let recordsCommitted: Counter
    let deadLetters: Counter
    let commitRetries: Counter

    init(topology: String) {
        let dimensions = [("topology", topology)]
        checkpointDuration = Metrics.Timer(label: "weir_checkpoint_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        checkpointBytes = Counter(label: "weir_checkpoint_bytes_total", dimensions: dimensions)
        checkpointKeys = Gauge(label: "weir_checkpoint_keys", dimensions: dimensions)
        checkpoints = Counter(label: "weir_checkpoints_total", dimensions: dimensions)
        recordsCommitted = Counter(label: "weir_records_committed_total", dimensions: dimensions)
        deadLetters = Counter(label: "weir_dead_letters_total", dimensions: dimensions)
        commitRetries = Counter(label: "weir_commit_retries_total", dimensions: dimensions)
    }

    /// Reports one committed checkpoint the same way for every job: the progress counters,
    /// these metrics, and the `checkpoint committed` log line (with `details` added to it).
    func checkpoint(
        records: Int64, keys: Int, bytes: Int, deadLetters letters: Int, partitions: Int, milliseconds: Double,
        details: Logger.Metadata = [:], logger: Logger, progress: ((inout JobProgress) -> Void) -> Void
    ) {
        progress {
            $0.commits += 1
            $0.recordsCommitted += records
            $0.lastCommitError = nil
            $0.lastCommitMilliseconds = milliseconds
            $0.lastCommitNewKeys = keys
            $0.lastCommitBytes = bytes
        }
        checkpointDuration.recordNanoseconds(Int64(milliseconds * 1_000_000))
        checkpointBytes.increment(by: bytes)
        checkpointKeys.record(keys)
        checkpoints.increment()
        recordsCommitted.increment(by: Int(records))
        deadLetters.increment(by: letters)
        var metadata: Logger.Metadata = [
            "records": "\(records)", "keys": "\(keys)", "bytes": "\(bytes)", "dead_letters": "\(letters)",
            "partitions": "\(partitions)", "duration_ms": "\((milliseconds * 10).rounded() / 10)",
        ]
        metadata.merge(details) { _, new in new }
        logger.info("checkpoint committed", metadata: metadata)
    }
}
