public import WeirCore
public import WeirKafka
public import WeirPostgres
public import WeirVector

/// A loaded, validated topology: where events come from, how they are read, what is
/// computed and where the results go.
public struct TopologyDefinition: Sendable {
    /// The Kafka input.
    public struct KafkaSource: Sendable {
        public var bootstrapServers: String
        public var topic: String
        public var group: String
        public var start: KafkaStartPosition
        /// Extra librdkafka properties (may hold secrets; never logged).
        public var properties: KafkaProperties
    }

    /// The PostgreSQL output.
    public struct PostgresSink: Sendable {
        public var url: String
        public var schema: SQLIdentifier
        public var deadLetterTable: SQLIdentifier
        /// How often pending results, dead letters and offsets are committed together.
        public var commitIntervalMilliseconds: Int
        /// A commit also happens as soon as this many events are pending.
        public var maxPendingEvents: Int
    }

    /// The computed metric.
    public enum Aggregate: Sendable {
        /// Exact distinct users and events per UTC day, into `table`.
        case dailyActiveUsers(table: SQLIdentifier)
        /// Documents embedded and upserted into the pgvector `table` and the in-process index;
        /// the pipeline is ``TopologyDefinition/documents``.
        case documentEmbeddings(table: SQLIdentifier)
        /// Exact DAU, N-day windows (WAU, MAU, ...) and retention cohorts per UTC day, run
        /// by the engine's keyed ``ActiveUsers`` operator, one task per input partition; the
        /// pipeline is ``TopologyDefinition/activeUsers``.
        case activeUsers(table: SQLIdentifier)

        public var table: SQLIdentifier {
            switch self {
            case .dailyActiveUsers(let table), .documentEmbeddings(let table), .activeUsers(let table): return table
            }
        }
    }

    /// Which embedder turns document text into vectors.
    public enum EmbedderChoice: Sendable {
        /// The built-in, offline, lexical ``HashingEmbedder``.
        case hashing(dimension: Int)
        /// An OpenAI-compatible HTTP service.
        case openAI(OpenAIEmbedder.Configuration)

        /// The vector length.
        public var dimension: Int {
            switch self {
            case .hashing(let dimension): return dimension
            case .openAI(let configuration): return configuration.dimension
            }
        }
    }

    /// The documents side of a `document_embeddings` topology.
    public struct DocumentPipeline: Sendable {
        /// Field names and limits of the records (the dimension is the embedder's).
        public var decoder: DocumentDecoder.Configuration
        public var embedder: EmbedderChoice
        /// The in-process HNSW index (dimension from the embedder).
        public var index: HNSWConfiguration
        /// Where index snapshots are kept (one file per partition); nil: no snapshots, the
        /// index is rebuilt from the topic on start.
        public var snapshotDirectory: String?
        /// How often each shard's snapshot is rewritten (also at shutdown).
        public var snapshotIntervalMilliseconds: Int
    }

    /// Where a task's operator state (incremental snapshots) is kept.
    public enum StateStoreChoice: Sendable, Equatable {
        /// In PostgreSQL, in `weir_state_chunks` of the sink's schema, written in the same
        /// transaction as the results and offsets.
        case postgres
        /// In files under `directory` (written, fsynced and renamed before the results'
        /// transaction, which records which chunk is current).
        case local(directory: String)
    }

    /// The active-users side of an `active_users` topology.
    public struct ActiveUsersPipeline: Sendable {
        /// Windows, allowed lateness and retention ages of the operator.
        public var configuration: ActiveUsersConfiguration
        /// Refuse (dead-letter) records whose Kafka key is not their user id: the per-task
        /// counts are summed, which is exact only when each user lives in one partition.
        public var requireUserKey: Bool
        public var stateStore: StateStoreChoice
        /// A full snapshot replaces the chain of deltas once the deltas written since the
        /// last full one exceed this multiple of its size (and at least every
        /// ``maxDeltasPerFull`` checkpoints).
        public var fullSnapshotRatio: Double
        public var maxDeltasPerFull: Int
    }

    /// The HTTP server of a running topology (search, /metrics, /health).
    public struct HTTPServerSettings: Sendable, Equatable {
        public var host: String
        /// 0 picks a free port (logged at start).
        public var port: Int
    }

    public var name: String
    /// The file it was loaded from, for messages.
    public var file: String
    public var source: KafkaSource
    public var events: ActivityEventDecoder.Configuration
    public var aggregate: Aggregate
    public var sink: PostgresSink
    /// Set for `document_embeddings` topologies.
    public var documents: DocumentPipeline?
    /// Set for `active_users` topologies.
    public var activeUsers: ActiveUsersPipeline?
    /// Set when the topology serves HTTP.
    public var server: HTTPServerSettings?

    /// Applies the command-line overrides that let one file run against any environment.
    public mutating func override(bootstrap: String?, postgresURL: String?, topic: String? = nil, group: String? = nil) {
        if let bootstrap { source.bootstrapServers = bootstrap }
        if let postgresURL { sink.url = postgresURL }
        if let topic { source.topic = topic }
        if let group { source.group = group }
    }

    /// A short, secret-free description for start-up logs.
    public var summary: String {
        "topology \(name): kafka \(source.bootstrapServers) topic \(source.topic) group \(source.group) -> "
            + "postgres \(PostgresURL.redacted(sink.url)) table \(sink.schema).\(aggregate.table)"
    }
}
