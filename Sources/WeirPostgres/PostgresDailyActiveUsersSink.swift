public import WeirCore

/// What one commit (checkpoint) wrote, for logs and metrics.
public struct CommitStats: Sendable, Equatable {
    /// New (day, user) keys: the state dirtied since the previous commit.
    public var keys: Int
    public var deadLetters: Int
    public var partitions: Int
    /// Bytes of state, dead letters and results sent to the server.
    public var bytes: Int

    public init(keys: Int, deadLetters: Int, partitions: Int, bytes: Int) {
        self.keys = keys
        self.deadLetters = deadLetters
        self.partitions = partitions
        self.bytes = bytes
    }
}

/// Keeps exact DAU rows in PostgreSQL, together with the input offsets they cover, so that
/// a restart resumes exactly where the committed rows end.
///
/// Tables (all created when missing, in `schema`):
/// - `table` (`day date primary key, dau bigint, events bigint, updated_at`): the result;
/// - `table_users` (`day, user_id`): each distinct (day, user) pair once, so that distinct
///   counts stay exact across restarts and across processes;
/// - `weir_offsets`: the next offset per consumer group, topic and partition;
/// - `dead_letter_table`: refused records with reason, source and raw bytes.
///
/// ``commit(_:deadLetters:offsets:)`` writes all of them in one transaction.
public final class PostgresDailyActiveUsersSink {
    public let configuration: PostgresSinkConfiguration
    private let connection: PostgresConnection
    private let resultTable: String
    private let membersTable: String
    private let offsets: PostgresOffsetStore
    private let deadLetters: PostgresDeadLetterTable
    private let upsertSQL: String

    /// Connects and creates the schema and tables when missing.
    public init(configuration: PostgresSinkConfiguration) throws(PostgresError) {
        self.configuration = configuration
        let schema = configuration.schema
        resultTable = configuration.table.qualified(in: schema)
        membersTable = try SQLIdentifier(configuration.table.name + "_users").qualified(in: schema)
        offsets = try PostgresOffsetStore(schema: schema, consumerGroup: configuration.consumerGroup)
        deadLetters = PostgresDeadLetterTable(table: configuration.deadLetterTable.qualified(in: schema), topology: configuration.topology)
        upsertSQL = """
            WITH new_users AS (
                INSERT INTO \(membersTable) (day, user_id)
                SELECT DATE '1970-01-01' + d, u FROM unnest($1::int[], $2::text[]) AS t(d, u)
                ORDER BY 1, 2
                ON CONFLICT DO NOTHING
                RETURNING day
            ), dau_delta AS (
                SELECT day, count(*)::bigint AS n FROM new_users GROUP BY day
            ), event_delta AS (
                SELECT DATE '1970-01-01' + d AS day, e FROM unnest($3::int[], $4::bigint[]) AS t(d, e)
            )
            INSERT INTO \(resultTable) AS r (day, dau, events)
            SELECT coalesce(event_delta.day, dau_delta.day), coalesce(dau_delta.n, 0), coalesce(event_delta.e, 0)
            FROM event_delta FULL JOIN dau_delta ON event_delta.day = dau_delta.day
            ORDER BY 1
            ON CONFLICT (day) DO UPDATE
            SET dau = r.dau + EXCLUDED.dau, events = r.events + EXCLUDED.events, updated_at = now()
            """
        connection = try PostgresConnection(url: configuration.url)
        try createTables()
    }

    /// The qualified tables holding this operator's state and results (for a reset).
    public var stateTables: [String] { [membersTable, resultTable] }

    /// The URL with its password masked.
    public var redactedURL: String { connection.redactedURL }

    private func createTables() throws(PostgresError) {
        try PostgresDDL.serialized(on: connection) { () throws(PostgresError) in try createTablesLocked() }
    }

    private func createTablesLocked() throws(PostgresError) {
        try connection.execute("CREATE SCHEMA IF NOT EXISTS \(configuration.schema.quoted)")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(resultTable) (
                day date PRIMARY KEY,
                dau bigint NOT NULL,
                events bigint NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """, table: resultTable)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(membersTable) (
                day date NOT NULL,
                user_id text NOT NULL,
                PRIMARY KEY (day, user_id)
            )
            """, table: membersTable)
        try offsets.create(on: connection)
        try deadLetters.create(on: connection)
        // A table of the same name with another shape is refused here rather than mid-stream.
        let columns = try connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
            [.text(configuration.schema.name), .text(configuration.table.name)], table: resultTable)
        let names = Set(columns.rows.compactMap { $0.first ?? nil })
        guard names.isSuperset(of: ["day", "dau", "events"]) else {
            throw PostgresError(
                .schemaMismatch, "table exists without the columns day, dau, events (found: \(names.sorted()))",
                table: resultTable)
        }
    }

    /// The stored next offsets of this consumer group for `topics`.
    public func storedOffsets(topics: [String]) throws(PostgresError) -> [TopicPartition: Int64] {
        try offsets.stored(topics: topics, on: connection)
    }

    /// Applies `delta`, stores `deadLetters` and moves `offsets` (per partition: from the
    /// offset this member last read or committed, to the next offset to read), all in one
    /// transaction: either everything is durable or nothing is. Throws `.fenced` when
    /// another member moved one of the partitions first.
    @discardableResult
    public func commit(
        _ delta: DailyActiveUsersDelta, deadLetters letters: [DeadLetter], offsets: [TopicPartition: OffsetAdvance]
    ) throws(PostgresError) -> CommitStats {
        if !connection.isConnected { try connection.reconnect() }
        var stats = CommitStats(keys: delta.newPairCount, deadLetters: letters.count, partitions: offsets.count, bytes: 0)
        try connection.transaction { () throws(PostgresError) in
            if !delta.isEmpty {
                var days = PostgresArrayLiteral(reservingCapacity: delta.newPairCount * 6)
                var users = PostgresArrayLiteral(reservingCapacity: delta.newPairCount * 12)
                delta.forEachNewPair { day, user in
                    days.append(day)
                    users.append(text: user)
                }
                var eventDays = PostgresArrayLiteral()
                var eventCounts = PostgresArrayLiteral()
                for (day, count) in delta.eventsPerDay {
                    eventDays.append(day)
                    eventCounts.append(count)
                }
                let parameters: [PostgresValue] = [.text(days.finish()), .text(users.finish()), .text(eventDays.finish()), .text(eventCounts.finish())]
                stats.bytes += parameters.reduce(0) { $0 + $1.byteCount }
                try connection.execute(upsertSQL, parameters, table: resultTable)
            }
            stats.bytes += try deadLetters.insert(letters, on: connection)
            try self.offsets.advance(offsets, on: connection)
            try self.offsets.record(offsets, keys: stats.keys, bytes: stats.bytes, deadLetters: letters.count, on: connection)
        }
        return stats
    }

    /// Reconnects after a failure (used by the retry loop).
    public func reconnect() throws(PostgresError) { try connection.reconnect() }
}
