/// Where a sink writes: the database, the schema, its result table and dead-letter table,
/// and the names stored with dead letters and offsets. Shared by every PostgreSQL sink.
public struct PostgresSinkConfiguration: Sendable {
    public var url: String
    public var schema: SQLIdentifier
    /// The result table (the sink may add tables named after it).
    public var table: SQLIdentifier
    public var deadLetterTable: SQLIdentifier
    /// The topology name stored with each dead letter.
    public var topology: String
    /// The consumer group whose offsets are stored.
    public var consumerGroup: String

    public init(
        url: String, schema: SQLIdentifier, table: SQLIdentifier, deadLetterTable: SQLIdentifier,
        topology: String, consumerGroup: String
    ) {
        self.url = url
        self.schema = schema
        self.table = table
        self.deadLetterTable = deadLetterTable
        self.topology = topology
        self.consumerGroup = consumerGroup
    }
}
