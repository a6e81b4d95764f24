public import WeirCore

/// How one partition's stored offset moves in a commit.
public struct OffsetAdvance: Sendable, Equatable {
    /// The stored offset this member started from (`nil`: no row yet).
    public var expected: Int64?
    /// The next offset to read once the commit lands.
    public var next: Int64

    public init(expected: Int64?, next: Int64) {
        self.expected = expected
        self.next = next
    }
}

/// Weir's input offsets in PostgreSQL (`weir_offsets`): the next offset to read per consumer
/// group, topic and partition, written in the same transaction as the results they cover, and
/// moved only by compare-and-set so that two members can never both commit one partition.
///
/// Each commit also leaves a checkpoint record in `weir_checkpoints` (the offsets it moved
/// to, keys and bytes written, dead letters), in the same transaction; the last
/// ``keptCheckpointRecords`` per group are kept.
struct PostgresOffsetStore {
    let table: String
    let checkpoints: String
    let consumerGroup: String
    static let keptCheckpointRecords = 1000

    init(schema: SQLIdentifier, consumerGroup: String) throws(PostgresError) {
        table = try SQLIdentifier("weir_offsets").qualified(in: schema)
        checkpoints = try SQLIdentifier("weir_checkpoints").qualified(in: schema)
        self.consumerGroup = consumerGroup
    }

    func create(on connection: PostgresConnection) throws(PostgresError) {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
                consumer_group text NOT NULL,
                topic text NOT NULL,
                partition integer NOT NULL,
                next_offset bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer_group, topic, partition)
            )
            """, table: table)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(checkpoints) (
                id bigserial PRIMARY KEY,
                consumer_group text NOT NULL,
                offsets jsonb NOT NULL,
                keys bigint NOT NULL,
                bytes bigint NOT NULL,
                dead_letters integer NOT NULL,
                committed_at timestamptz NOT NULL DEFAULT now()
            )
            """, table: checkpoints)
    }

    /// Writes the checkpoint record of a commit inside the caller's transaction, and drops
    /// records older than the last ``keptCheckpointRecords`` of the group.
    func record(_ offsets: [TopicPartition: OffsetAdvance], keys: Int, bytes: Int, deadLetters: Int, on connection: PostgresConnection) throws(PostgresError) {
        guard !offsets.isEmpty else { return }
        var json = "{"
        for (i, (tp, advance)) in offsets.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }).enumerated() {
            if i > 0 { json += "," }
            let name = tp.topic.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            json += "\"\(name)[\(tp.partition)]\":\(advance.next)"
        }
        json += "}"
        try connection.execute(
            """
            WITH ins AS (
                INSERT INTO \(checkpoints) (consumer_group, offsets, keys, bytes, dead_letters)
                VALUES ($1, $2::jsonb, $3, $4, $5) RETURNING id
            )
            DELETE FROM \(checkpoints) WHERE consumer_group = $1 AND id <= (SELECT id FROM ins) - $6
            """,
            [.text(consumerGroup), .text(json), .int(keys), .int(bytes), .int(deadLetters), .int(Self.keptCheckpointRecords)],
            table: checkpoints)
    }

    /// The stored next offsets of this consumer group for `topics`.
    func stored(topics: [String], on connection: PostgresConnection) throws(PostgresError) -> [TopicPartition: Int64] {
        var literal = PostgresArrayLiteral()
        for t in topics { literal.append(text: t) }
        let rows = try connection.execute(
            "SELECT topic, partition, next_offset FROM \(table) WHERE consumer_group = $1 AND topic = ANY($2::text[])",
            [.text(consumerGroup), .text(literal.finish())], table: table)
        var result: [TopicPartition: Int64] = [:]
        for row in rows.rows {
            guard let topic = row[0], let p = row[1].flatMap({ Int32($0) }), let o = row[2].flatMap({ Int64($0) }) else { continue }
            result[TopicPartition(topic: topic, partition: p)] = o
        }
        return result
    }

    /// Moves `offsets` inside the caller's transaction. Throws `.fenced` when another member
    /// moved one of the partitions since this one read it (the transaction must then roll back).
    func advance(_ offsets: [TopicPartition: OffsetAdvance], on connection: PostgresConnection) throws(PostgresError) {
        guard !offsets.isEmpty else { return }
        var topics = PostgresArrayLiteral()
        var partitions = PostgresArrayLiteral()
        var expected = PostgresArrayLiteral()
        var nexts = PostgresArrayLiteral()
        for (tp, advance) in offsets.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            topics.append(text: tp.topic)
            partitions.append(tp.partition)
            if let e = advance.expected { expected.append(e) } else { expected.appendNull() }
            nexts.append(advance.next)
        }
        // Compare-and-set: a partition moves only from the offset this member read.
        let moved = try connection.execute(
            """
            WITH input AS (
                SELECT * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS x(t, p, expected, n)
            ), updated AS (
                UPDATE \(table) AS o SET next_offset = input.n, updated_at = now()
                FROM input
                WHERE o.consumer_group = $1 AND o.topic = input.t AND o.partition = input.p
                  AND input.expected IS NOT NULL AND o.next_offset = input.expected
                RETURNING 1
            ), inserted AS (
                INSERT INTO \(table) (consumer_group, topic, partition, next_offset)
                SELECT $1, t, p, n FROM input WHERE expected IS NULL
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
            """,
            [.text(consumerGroup), .text(topics.finish()), .text(partitions.finish()),
             .text(expected.finish()), .text(nexts.finish())],
            table: table)
        let count = moved.rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? -1
        guard count == offsets.count else {
            throw PostgresError(
                .fenced,
                "\(offsets.count - count) of \(offsets.count) partitions were committed by another member of group \(consumerGroup) since this one read them",
                table: table)
        }
    }
}
