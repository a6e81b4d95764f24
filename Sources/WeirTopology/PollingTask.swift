/// The polling side of a record-counting job (``DailyActiveUsersJob``, ``ActiveUsersJob``):
/// what ``runUntilStopped(_:stopRequested:)`` drives on the job's thread.
protocol PollingTask: AnyObject {
    /// Reads one batch (up to 100 ms) and applies it.
    func pollOnce()
    /// Whether enough is pending for a checkpoint.
    var checkpointDue: Bool { get }
    /// Commits what is pending, retrying while PostgreSQL is unavailable.
    func checkpoint() throws(TopologyError)
    /// Refreshes the consumer lag in the progress counters.
    func refreshLag()
    /// Set when the task failed for good (fenced, unusable state); the job stops.
    var failure: TopologyError? { get }
    /// Once set, nothing more may be committed (the job is stopping after a failure).
    var frozen: Bool { get set }
}

/// Polls and checkpoints until a stop is requested or the task fails; then takes a final
/// checkpoint unless it failed. Returns the error to stop with, if any. Leaves the task
/// frozen after a failure, so the revoke of the closing consumer commits nothing.
func runUntilStopped(_ task: some PollingTask, stopRequested: () -> Bool) -> TopologyError? {
    var lastLag = ContinuousClock.now
    var failure: TopologyError?
    while !stopRequested() && failure == nil {
        task.pollOnce()
        failure = task.failure
        if task.checkpointDue && failure == nil {
            do {
                try task.checkpoint()
            } catch {
                failure = error
            }
        }
        if ContinuousClock.now - lastLag >= .seconds(1) {
            task.refreshLag()
            lastLag = .now
        }
    }
    if failure == nil {
        do {
            try task.checkpoint()
        } catch {
            failure = error
        }
    }
    task.frozen = failure != nil
    return failure
}
