/// One answer of a pgvector search.
public struct PostgresDocumentHit: Sendable, Equatable {
    public var documentID: String
    public var content: String
    /// `1 - cosine distance`.
    public var similarity: Double
    /// The metadata object as JSON text.
    public var metadataJSON: String
}

/// Nearest-neighbor search in a documents table, with the product brief's query shape:
/// `SELECT document_id, content, 1 - (embedding <=> $1) AS similarity ... ORDER BY embedding <=> $1 LIMIT k`,
/// plus `metadata->>key = value` conditions for filters (keys and values are bound parameters).
public struct PostgresDocumentSearch {
    private let connection: PostgresConnection
    private let table: String

    /// Connects for searching `schema.table`.
    public init(url: String, schema: SQLIdentifier, table: SQLIdentifier) throws(PostgresError) {
        connection = try PostgresConnection(url: url)
        self.table = table.qualified(in: schema)
    }

    /// The `k` documents nearest `vector` (pgvector text form) among those matching every
    /// `filter` pair. `efSearch` sets `hnsw.ef_search` for this query; filtered queries use
    /// pgvector's iterative scan so that a selective filter still yields up to `k` rows.
    public func search(vector: String, k: Int, filter: [(key: String, value: String)], efSearch: Int = 100) throws(PostgresError) -> [PostgresDocumentHit] {
        var parameters: [PostgresValue] = [.text(vector), .int(k)]
        var conditions: [String] = []
        for (key, value) in filter {
            parameters.append(.text(key))
            parameters.append(.text(value))
            conditions.append("metadata->>$\(parameters.count - 1) = $\(parameters.count)")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try connection.transaction { () throws(PostgresError) -> [PostgresDocumentHit] in
            try connection.execute("SELECT set_config('hnsw.ef_search', $1, true)", [.int(max(1, min(efSearch, 1000)))])
            if !conditions.isEmpty {
                try connection.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")
            }
            let rows = try connection.execute(
                """
                SELECT document_id, content, 1 - (embedding <=> $1::vector) AS similarity, metadata::text
                FROM \(table) \(whereClause)
                ORDER BY embedding <=> $1::vector
                LIMIT $2
                """, parameters, table: table)
            return rows.rows.map { row in
                PostgresDocumentHit(
                    documentID: row[0] ?? "", content: row[1] ?? "", similarity: row[2].flatMap(Double.init) ?? .nan,
                    metadataJSON: row[3] ?? "{}")
            }
        }
    }
}
