/// What each stateful operator of a consumer group was built with (`weir_operators`), so that
/// a topology whose state no longer fits is refused at start instead of silently mixing two
/// meanings in one table.
///
/// A fingerprint is a short text naming what the state depends on, e.g.
/// `daily_active_users v1 user_id=properties.user_id timestamp=properties.timestamp` or
/// `document_embeddings v1 embedder=hashing dimension=384`. The first start records it; a
/// later start with another fingerprint fails with `.stateMismatch`, naming the operator and
/// both fingerprints, unless the caller resets the operator's state.
public struct PostgresOperatorRegistry {
    private let connection: PostgresConnection
    private let table: String
    private let offsetsTable: String
    private let consumerGroup: String

    /// Connects and creates `weir_operators` in `schema` when missing.
    public init(url: String, schema: SQLIdentifier, consumerGroup: String) throws(PostgresError) {
        connection = try PostgresConnection(url: url)
        table = try SQLIdentifier("weir_operators").qualified(in: schema)
        offsetsTable = try SQLIdentifier("weir_offsets").qualified(in: schema)
        self.consumerGroup = consumerGroup
        try PostgresDDL.serialized(on: connection) { () throws(PostgresError) in
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \(schema.quoted)")
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS \(table) (
                    consumer_group text NOT NULL,
                    operator text NOT NULL,
                    fingerprint text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer_group, operator)
                )
                """, table: table)
        }
    }

    /// Records `fingerprint` for `operator` on first use; throws `.stateMismatch` when the
    /// stored one differs.
    public func check(operator name: String, fingerprint: String) throws(PostgresError) {
        let rows = try connection.execute(
            """
            WITH ins AS (
                INSERT INTO \(table) (consumer_group, operator, fingerprint) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING RETURNING fingerprint
            )
            SELECT fingerprint FROM ins UNION ALL
            SELECT fingerprint FROM \(table) WHERE consumer_group = $1 AND operator = $2
            """, [.text(consumerGroup), .text(name), .text(fingerprint)], table: table)
        let stored = rows.rows.compactMap { $0.first ?? nil }.first
        guard let stored, stored != fingerprint else { return }
        throw PostgresError(
            .stateMismatch,
            "operator '\(name)' of group \(consumerGroup) holds state built as '\(stored)', but this topology asks for '\(fingerprint)'; the state does not fit. Use another consumer group and table, or start once with `weir run --reset-state` to delete this operator's results, offsets and snapshots",
            table: table)
    }

    /// Deletes the operator's rows in `tables`, the group's offsets for `topic`, and its
    /// fingerprint, in one transaction; then records `fingerprint`.
    /// `statements` run first in the same transaction (deletes scoped to this operator in
    /// tables other operators share).
    public func reset(
        operator name: String, fingerprint: String, tables: [String], topic: String, statements: [PostgresStatement] = []
    ) throws(PostgresError) {
        let offsets = offsetsTable
        try connection.transaction { () throws(PostgresError) in
            for statement in statements {
                try connection.execute(statement.sql, statement.parameters, table: statement.table)
            }
            for t in tables {
                try connection.execute("DELETE FROM \(t)", table: t)
            }
            try connection.execute(
                "DELETE FROM \(offsets) WHERE consumer_group = $1 AND topic = $2", [.text(consumerGroup), .text(topic)], table: offsets)
            try connection.execute(
                "DELETE FROM \(table) WHERE consumer_group = $1 AND operator = $2", [.text(consumerGroup), .text(name)], table: table)
            try connection.execute(
                "INSERT INTO \(table) (consumer_group, operator, fingerprint) VALUES ($1, $2, $3)",
                [.text(consumerGroup), .text(name), .text(fingerprint)], table: table)
        }
    }
}

/// A statement with its bound parameters, to run later (e.g. inside a reset's transaction).
public struct PostgresStatement: Sendable {
    public var sql: String
    public var parameters: [PostgresValue]
    /// The table it touches, for error messages.
    public var table: String

    public init(_ sql: String, _ parameters: [PostgresValue], table: String) {
        self.sql = sql
        self.parameters = parameters
        self.table = table
    }
}
