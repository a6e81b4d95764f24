public import WeirCore

/// A snapshot of a running job's counters, for progress lines, the demo and tests.
public struct JobProgress: Sendable, Equatable {
    /// Records read from Kafka.
    public var recordsIn: Int64 = 0
    /// Records counted by the aggregate.
    public var eventsCounted: Int64 = 0
    /// Records sent to the dead-letter table.
    public var deadLetters: Int64 = 0
    /// Transactions committed to PostgreSQL.
    public var commits: Int = 0
    /// Records whose results and offsets are committed.
    public var recordsCommitted: Int64 = 0
    /// Records behind the partitions' high watermarks, if known.
    public var lag: Int64?
    /// Partitions currently assigned to this process.
    public var assignedPartitions: Int = 0
    /// Distinct days this process has counted events for.
    public var daysSeen: Int = 0
    /// The latest day counted by this process, with its totals as this process saw them.
    public var latestDay: DayTotals?
    /// How long the last commit transaction took.
    public var lastCommitMilliseconds: Double = 0
    /// New (day, user) keys written by the last commit (the incremental state it persisted).
    public var lastCommitNewKeys: Int = 0
    /// Bytes the last commit sent.
    public var lastCommitBytes: Int = 0
    /// Records the broker had deleted (retention) before this topology could read them.
    public var recordsLostBeforeRead: Int64 = 0
    /// Commit attempts that failed and were retried.
    public var failedCommitAttempts: Int = 0
    /// The last commit failure, while the job is retrying.
    public var lastCommitError: String?
    /// Documents in the in-process vector index (document topologies).
    public var indexedDocuments: Int = 0
    /// Records applied to the index only, while it caught up with the committed table on start.
    public var recordsReplayedIntoIndex: Int64 = 0
    /// Index snapshots written.
    public var snapshotsWritten: Int = 0
    /// Embedding calls that failed and were retried.
    public var failedEmbeddingAttempts: Int = 0

    public init() {}
}
