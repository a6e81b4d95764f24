/// Weir's schema changes run one at a time across processes.
enum PostgresDDL {
    /// The advisory-lock key that serializes Weir's DDL ("weir" in ASCII).
    static let lockKey: Int64 = 0x7765_6972

    /// Runs `body` in a transaction holding the DDL advisory lock. Several processes of one
    /// topology start together, and `CREATE ... IF NOT EXISTS` alone races on the catalog.
    static func serialized(on connection: PostgresConnection, _ body: () throws(PostgresError) -> Void) throws(PostgresError) {
        try connection.transaction { () throws(PostgresError) in
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(lockKey)])
            try body()
        }
    }
}
