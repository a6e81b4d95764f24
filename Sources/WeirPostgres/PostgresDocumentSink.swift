public import WeirCore

/// One document as the pgvector table stores it.
public struct PostgresDocumentRow: Sendable, Equatable {
    public var documentID: String
    public var content: String
    /// The vector in pgvector's text form, `[x,y,...]`.
    public var embedding: String
    /// The metadata object as JSON text.
    public var metadataJSON: String

    public init(documentID: String, content: String, embedding: String, metadataJSON: String) {
        self.documentID = documentID
        self.content = content
        self.embedding = embedding
        self.metadataJSON = metadataJSON
    }
}

/// Keeps a pgvector table of documents in step with a documents topic, together with the input
/// offsets and dead letters, in one transaction per commit.
///
/// The table is created when missing, in the product brief's shape, with the vector dimension
/// of the embedder and an HNSW index for cosine distance:
/// ```sql
/// CREATE TABLE document_embeddings (
///     id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
///     document_id VARCHAR(255) UNIQUE NOT NULL,
///     content TEXT NOT NULL,
///     embedding vector(<dimension>) NOT NULL,
///     metadata JSONB DEFAULT '{}',
///     created_at TIMESTAMP DEFAULT NOW()
/// );
/// CREATE INDEX ... USING hnsw (embedding vector_cosine_ops);
/// ```
/// An existing table whose `embedding` has another dimension is refused at start.
public final class PostgresDocumentSink {
    public let configuration: PostgresSinkConfiguration
    /// The embedder's vector length, the `embedding` column's dimension.
    public let dimension: Int
    private let connection: PostgresConnection
    private let table: String
    private let offsets: PostgresOffsetStore
    private let deadLetters: PostgresDeadLetterTable

    /// Connects, and creates the extension, schema, table and index when missing.
    public init(configuration: PostgresSinkConfiguration, dimension: Int) throws(PostgresError) {
        self.configuration = configuration
        self.dimension = dimension
        table = configuration.table.qualified(in: configuration.schema)
        offsets = try PostgresOffsetStore(schema: configuration.schema, consumerGroup: configuration.consumerGroup)
        deadLetters = PostgresDeadLetterTable(
            table: configuration.deadLetterTable.qualified(in: configuration.schema), topology: configuration.topology)
        connection = try PostgresConnection(url: configuration.url)
        try PostgresDDL.serialized(on: connection) { () throws(PostgresError) in try createTables() }
    }

    /// The qualified table holding the documents (for a reset).
    public var stateTables: [String] { [table] }

    /// The URL with its password masked.
    public var redactedURL: String { connection.redactedURL }

    private func createTables() throws(PostgresError) {
        guard (1...16_000).contains(dimension) else {
            throw PostgresError(.schemaMismatch, "pgvector stores 1 to 16000 dimensions; the embedder has \(dimension)", table: table)
        }
        let hasVector = try connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").rows.count == 1
        if !hasVector {
            do {
                try connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
            } catch {
                throw PostgresError(
                    .schemaMismatch, "the pgvector extension is not installed in this database and could not be created (\(error.message)); run CREATE EXTENSION vector as a superuser",
                    sqlState: error.sqlState, table: table)
            }
        }
        try connection.execute("CREATE SCHEMA IF NOT EXISTS \(configuration.schema.quoted)")
        // The dimension is an integer from the topology, validated above; pgvector needs it
        // in the type itself, where parameters are not allowed.
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                document_id VARCHAR(255) UNIQUE NOT NULL,
                content TEXT NOT NULL,
                embedding vector(\(dimension)) NOT NULL,
                metadata JSONB DEFAULT '{}',
                created_at TIMESTAMP DEFAULT NOW()
            )
            """, table: table)
        let indexName = try SQLIdentifier(String((configuration.table.name + "_embedding_hnsw").prefix(63)))
        try connection.execute(
            "CREATE INDEX IF NOT EXISTS \(indexName.quoted) ON \(table) USING hnsw (embedding vector_cosine_ops)", table: table)
        try offsets.create(on: connection)
        try deadLetters.create(on: connection)
        let type = try connection.execute(
            """
            SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attname = 'embedding' AND NOT a.attisdropped
            """, [.text(table)], table: table)
        let found = type.rows.first?.first ?? nil
        guard found == "vector(\(dimension))" else {
            throw PostgresError(
                .schemaMismatch, "the table's embedding column is \(found ?? "missing"), but the embedder produces vector(\(dimension)); use another table or drop this one",
                table: table)
        }
    }

    /// The stored next offsets of this consumer group for `topics`.
    public func storedOffsets(topics: [String]) throws(PostgresError) -> [TopicPartition: Int64] {
        try offsets.stored(topics: topics, on: connection)
    }

    /// Upserts `rows`, deletes `deletions`, stores `deadLetters` and moves `offsets`, all in one
    /// transaction. A document id appears at most once in `rows` and `deletions` together
    /// (the caller keeps the last change per id). Returns the bytes sent.
    @discardableResult
    public func commit(
        upserts rows: [PostgresDocumentRow], deletions: [String], deadLetters letters: [DeadLetter],
        offsets: [TopicPartition: OffsetAdvance]
    ) throws(PostgresError) -> Int {
        if !connection.isConnected { try connection.reconnect() }
        var bytes = 0
        try connection.transaction { () throws(PostgresError) in
            if !deletions.isEmpty {
                var ids = PostgresArrayLiteral()
                for id in deletions { ids.append(text: id) }
                let parameter = ids.finish()
                bytes += parameter.utf8.count
                try connection.execute("DELETE FROM \(table) WHERE document_id = ANY($1::text[])", [.text(parameter)], table: table)
            }
            if !rows.isEmpty {
                var ids = PostgresArrayLiteral()
                var contents = PostgresArrayLiteral()
                var vectors = PostgresArrayLiteral()
                var metadata = PostgresArrayLiteral()
                for row in rows {
                    ids.append(text: row.documentID)
                    contents.append(text: row.content)
                    vectors.append(text: row.embedding)
                    metadata.append(text: row.metadataJSON)
                }
                let parameters: [PostgresValue] = [.text(ids.finish()), .text(contents.finish()), .text(vectors.finish()), .text(metadata.finish())]
                bytes += parameters.reduce(0) { $0 + $1.byteCount }
                try connection.execute(
                    """
                    INSERT INTO \(table) AS t (document_id, content, embedding, metadata)
                    SELECT d, c, e::vector, m::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(d, c, e, m)
                    ORDER BY d
                    ON CONFLICT (document_id) DO UPDATE
                    SET content = EXCLUDED.content, embedding = EXCLUDED.embedding, metadata = EXCLUDED.metadata
                    """, parameters, table: table)
            }
            bytes += try deadLetters.insert(letters, on: connection)
            try self.offsets.advance(offsets, on: connection)
            try self.offsets.record(offsets, keys: rows.count + deletions.count, bytes: bytes, deadLetters: letters.count, on: connection)
        }
        return bytes
    }

    /// The stored embedding (pgvector text) and metadata (JSON text) of each of `ids` that the
    /// table holds; ids it does not hold are absent from the answer.
    public func fetch(ids: [String]) throws(PostgresError) -> [String: (embedding: String, metadataJSON: String)] {
        guard !ids.isEmpty else { return [:] }
        if !connection.isConnected { try connection.reconnect() }
        var literal = PostgresArrayLiteral()
        for id in ids { literal.append(text: id) }
        let rows = try connection.execute(
            "SELECT document_id, embedding::text, coalesce(metadata, '{}'::jsonb)::text FROM \(table) WHERE document_id = ANY($1::text[])",
            [.text(literal.finish())], table: table)
        var result: [String: (embedding: String, metadataJSON: String)] = [:]
        for row in rows.rows {
            guard let id = row[0], let embedding = row[1] else { continue }
            result[id] = (embedding, row[2] ?? "{}")
        }
        return result
    }

    /// Reconnects after a failure (used by the retry loop).
    public func reconnect() throws(PostgresError) { try connection.reconnect() }
}
