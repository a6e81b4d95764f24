import Logging

/// Records between a partition's resume offset and the first one the broker still had were
/// deleted (retention) before the topology read them: say so loudly and count them.
/// Shared by every job, called on a partition's first record after assignment.
func reportRetentionGap(
    topic: String, partition: Int32, from expected: Int64, to actual: Int64, logger: Logger,
    progress: ((inout JobProgress) -> Void) -> Void
) {
    let missing = actual - expected
    logger.error(
        "\(topic)[\(partition)]: \(missing) records at offsets \(expected)..<\(actual) were no longer in the log (retention) and are missing from the results")
    progress { $0.recordsLostBeforeRead += missing }
}
