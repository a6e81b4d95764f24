/// A topology job the CLI can run, watch and stop: the active-users, daily-active-users
/// and document-embeddings jobs.
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
extension ActiveUsersJob: RunningTopology {}
