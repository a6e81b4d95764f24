public import WeirCore

/// One task's state write in a checkpoint: the chunk it adds (its bytes, when PostgreSQL
/// keeps them) and which older chunks it makes unnecessary.
public struct TaskStateWrite: Sendable {
    /// The input partition the task reads (the task's identity within its operator).
    public var partition: Int32
    /// The new chunk's sequence; it becomes the task's head once the transaction commits.
    public var sequence: UInt64
    /// The next input offset the chunk's state covers.
    public var nextOffset: Int64
    /// Whether the chunk is a full snapshot.
    public var isFull: Bool
    /// The encoded chunk when PostgreSQL stores it; `nil` when a local directory holds it
    /// (the transaction then records only the head).
    public var bytes: [UInt8]?
    /// Chunks with a lower sequence are deleted in the same transaction (after a full
    /// snapshot: everything before the previous full one, so two chains remain).
    public var pruneBelow: UInt64?

    public init(partition: Int32, sequence: UInt64, nextOffset: Int64, isFull: Bool, bytes: [UInt8]?, pruneBelow: UInt64?) {
        self.partition = partition
        self.sequence = sequence
        self.nextOffset = nextOffset
        self.isFull = isFull
        self.bytes = bytes
        self.pruneBelow = pruneBelow
    }
}

/// What is stored for one task: the committed head and the chunks up to it.
public struct StoredTaskState: Sendable {
    /// The sequence of the last committed chunk (0: none).
    public var head: UInt64
    /// Chunks with sequence <= ``head``, ascending (empty when a local directory holds them).
    public var chunks: [(sequence: UInt64, bytes: [UInt8])]
}

/// Weir's operator state in PostgreSQL, in the sink's schema:
/// - `weir_state_heads`: per consumer group, operator, topic and partition, the sequence of
///   the task's last committed state chunk;
/// - `weir_state_chunks`: the chunks themselves (full snapshots and deltas of dirtied keys,
///   see ``StateChunk``), when PostgreSQL is the state store.
///
/// Both are written inside the caller's transaction, together with the results and input
/// offsets the state matches (``write(_:topic:on:)``), so a crash can never leave state
/// and results apart.
public struct PostgresStateStore: Sendable {
    let heads: String
    let chunks: String
    let consumerGroup: String
    /// The operator whose state this is, e.g. `active_users:active_users`.
    public let operatorName: String

    public init(schema: SQLIdentifier, consumerGroup: String, operatorName: String) throws(PostgresError) {
        heads = try SQLIdentifier("weir_state_heads").qualified(in: schema)
        chunks = try SQLIdentifier("weir_state_chunks").qualified(in: schema)
        self.consumerGroup = consumerGroup
        self.operatorName = operatorName
    }

    /// The tables, for messages and resets.
    public var tables: [String] { [heads, chunks] }

    func create(on connection: PostgresConnection) throws(PostgresError) {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(heads) (
                consumer_group text NOT NULL,
                operator text NOT NULL,
                topic text NOT NULL,
                partition integer NOT NULL,
                sequence bigint NOT NULL,
                next_offset bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer_group, operator, topic, partition)
            )
            """, table: heads)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(chunks) (
                consumer_group text NOT NULL,
                operator text NOT NULL,
                topic text NOT NULL,
                partition integer NOT NULL,
                sequence bigint NOT NULL,
                is_full boolean NOT NULL,
                next_offset bigint NOT NULL,
                bytes bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer_group, operator, topic, partition, sequence)
            )
            """, table: chunks)
    }

    /// Adds the chunks (or only the heads) of `writes` and prunes what they supersede,
    /// inside the caller's transaction. Returns the bytes sent.
    func write(_ writes: [TaskStateWrite], topic: String, on connection: PostgresConnection) throws(PostgresError) -> Int {
        guard !writes.isEmpty else { return 0 }
        var bytes = 0
        var partitions = PostgresArrayLiteral()
        var sequences = PostgresArrayLiteral()
        var offsets = PostgresArrayLiteral()
        for w in writes {
            partitions.append(w.partition)
            sequences.append(Int64(w.sequence))
            offsets.append(w.nextOffset)
            if let chunk = w.bytes {
                bytes += chunk.count
                try connection.execute(
                    """
                    INSERT INTO \(chunks) (consumer_group, operator, topic, partition, sequence, is_full, next_offset, bytes)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (consumer_group, operator, topic, partition, sequence)
                    DO UPDATE SET is_full = EXCLUDED.is_full, next_offset = EXCLUDED.next_offset, bytes = EXCLUDED.bytes, created_at = now()
                    """,
                    [.text(consumerGroup), .text(operatorName), .text(topic), .int(w.partition), .int(Int64(w.sequence)),
                     .text(w.isFull ? "true" : "false"), .int(w.nextOffset), .bytes(chunk)],
                    table: chunks)
            }
            if let below = w.pruneBelow {
                try connection.execute(
                    """
                    DELETE FROM \(chunks)
                    WHERE consumer_group = $1 AND operator = $2 AND topic = $3 AND partition = $4 AND sequence < $5
                    """,
                    [.text(consumerGroup), .text(operatorName), .text(topic), .int(w.partition), .int(Int64(below))],
                    table: chunks)
            }
        }
        try connection.execute(
            """
            INSERT INTO \(heads) (consumer_group, operator, topic, partition, sequence, next_offset)
            SELECT $1, $2, $3, p, s, o FROM unnest($4::int[], $5::bigint[], $6::bigint[]) AS t(p, s, o)
            ORDER BY p
            ON CONFLICT (consumer_group, operator, topic, partition)
            DO UPDATE SET sequence = EXCLUDED.sequence, next_offset = EXCLUDED.next_offset, updated_at = now()
            """,
            [.text(consumerGroup), .text(operatorName), .text(topic), .text(partitions.finish()),
             .text(sequences.finish()), .text(offsets.finish())],
            table: heads)
        return bytes + writes.count * 20
    }

    /// The committed head of each of `partitions`, and (with `withChunks`) their chunks up
    /// to it, ascending. A partition with no head is absent.
    public func load(topic: String, partitions: [Int32], withChunks: Bool, on connection: PostgresConnection) throws(PostgresError) -> [Int32: StoredTaskState] {
        var list = PostgresArrayLiteral()
        for p in partitions { list.append(p) }
        let headRows = try connection.execute(
            """
            SELECT partition, sequence FROM \(heads)
            WHERE consumer_group = $1 AND operator = $2 AND topic = $3 AND partition = ANY($4::int[])
            """,
            [.text(consumerGroup), .text(operatorName), .text(topic), .text(list.finish())], table: heads)
        var result: [Int32: StoredTaskState] = [:]
        for row in headRows.rows {
            guard let p = row[0].flatMap({ Int32($0) }), let s = row[1].flatMap({ UInt64($0) }) else { continue }
            result[p] = StoredTaskState(head: s, chunks: [])
        }
        guard withChunks, !result.isEmpty else { return result }
        let rows = try connection.fetchBinary(
            """
            SELECT c.partition, c.sequence, c.bytes FROM \(chunks) c
            JOIN \(heads) h USING (consumer_group, operator, topic, partition)
            WHERE c.consumer_group = $1 AND c.operator = $2 AND c.topic = $3 AND c.partition = ANY($4::int[])
              AND c.sequence <= h.sequence
            ORDER BY c.partition, c.sequence
            """,
            [.text(consumerGroup), .text(operatorName), .text(topic), .text(list.finish())], table: chunks)
        for row in rows {
            guard row.count == 3, let p = row[0].map(Self.bigEndian), let s = row[1].map(Self.bigEndian), let bytes = row[2] else { continue }
            result[Int32(truncatingIfNeeded: p)]?.chunks.append((UInt64(bitPattern: s), bytes))
        }
        return result
    }

    /// Deletes every head and chunk of this operator and consumer group (for a reset).
    public var deleteStatements: [PostgresStatement] {
        [heads, chunks].map {
            PostgresStatement(
                "DELETE FROM \($0) WHERE consumer_group = $1 AND operator = $2", [.text(consumerGroup), .text(operatorName)], table: $0)
        }
    }

    /// A binary-format integer column (int4 or int8), big-endian.
    static func bigEndian(_ bytes: [UInt8]) -> Int64 {
        var value: Int64 = bytes.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
        for b in bytes { value = value << 8 | Int64(b) }
        return value
    }
}
