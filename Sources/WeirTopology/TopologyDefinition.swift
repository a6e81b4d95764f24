public import WeirCore
public import WeirKafka
public import WeirPostgres

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

        public var table: SQLIdentifier {
            switch self {
            case .dailyActiveUsers(let table): return table
            }
        }
    }

    public var name: String
    /// The file it was loaded from, for messages.
    public var file: String
    public var source: KafkaSource
    public var events: ActivityEventDecoder.Configuration
    public var aggregate: Aggregate
    public var sink: PostgresSink

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
