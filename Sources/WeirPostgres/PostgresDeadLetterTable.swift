public import WeirCore

/// The dead-letter table: refused records with their reason code, source and raw bytes.
struct PostgresDeadLetterTable {
    let table: String
    let topology: String

    func create(on connection: PostgresConnection) throws(PostgresError) {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
                id bigserial PRIMARY KEY,
                topology text NOT NULL,
                topic text NOT NULL,
                partition integer NOT NULL,
                "offset" bigint NOT NULL,
                reason_code text NOT NULL,
                reason text NOT NULL,
                raw bytea NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now()
            )
            """, table: table)
    }

    /// Inserts `letters` inside the caller's transaction; returns the bytes sent.
    func insert(_ letters: [DeadLetter], on connection: PostgresConnection) throws(PostgresError) -> Int {
        var bytes = 0
        for letter in letters {
            bytes += letter.raw.count + letter.reason.detail.utf8.count
            try connection.execute(
                """
                INSERT INTO \(table) (topology, topic, partition, "offset", reason_code, reason, raw)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """,
                [
                    .text(topology), .text(letter.source.topic), .int(letter.source.partition),
                    .int(letter.offset), .text(letter.reason.code.rawValue), .text(letter.reason.detail),
                    .bytes(letter.raw),
                ], table: table)
        }
        return bytes
    }
}
