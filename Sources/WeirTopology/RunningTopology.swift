/// A topology job the CLI can run, watch and stop: the daily-active-users job and the
/// document-embeddings job.
public protocol RunningTopology: AnyObject, Sendable {
    /// The topology it runs.
    var definition: TopologyDefinition { get }
    /// The latest counters.
    var progress: JobProgress { get }
    /// Asks ``run()`` to commit what it holds and return; callable from any thread.
    func requestStop()
    /// Consumes until stopped; blocks its thread.
    func run() throws(TopologyError)
}

extension DailyActiveUsersJob: RunningTopology {}
extension DocumentEmbeddingsJob: RunningTopology {}
