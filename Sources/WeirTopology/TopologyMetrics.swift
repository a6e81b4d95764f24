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

    /// Records one committed checkpoint.
    func checkpoint(milliseconds: Double, bytes: Int, keys: Int, records: Int64, deadLetters letters: Int) {
        checkpointDuration.recordNanoseconds(Int64(milliseconds * 1_000_000))
        checkpointBytes.increment(by: bytes)
        checkpointKeys.record(keys)
        checkpoints.increment()
        recordsCommitted.increment(by: Int(records))
        deadLetters.increment(by: letters)
    }
}
