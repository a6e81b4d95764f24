internal import CLibPQ

/// An error from Weir's PostgreSQL layer, with a stable code, the SQLSTATE when the server
/// sent one, and the table it concerns.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure; callers match on this.
    public enum Code: String, Sendable {
        case connection = "postgres.connection"
        case query = "postgres.query"
        case invalidIdentifier = "postgres.invalid_identifier"
        case schemaMismatch = "postgres.schema_mismatch"
        /// Another member committed this partition since we read its offset: we no longer own it.
        case fenced = "postgres.fenced"
        /// The stored state was built by a different operator definition than the topology asks for.
        case stateMismatch = "postgres.state_mismatch"
    }

    public var code: Code
    public var message: String
    /// The five-character SQLSTATE, e.g. `23505`.
    public var sqlState: String?
    public var table: String?

    public init(_ code: Code, _ message: String, sqlState: String? = nil, table: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.table = table
    }

    /// Whether retrying on a new connection may succeed (connection loss, server shutdown,
    /// serialization failure, deadlock).
    public var isTransient: Bool {
        if code == .connection { return true }
        if code == .fenced || code == .schemaMismatch || code == .invalidIdentifier { return false }
        guard let sqlState else { return code == .query }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("57") || sqlState == "40001" || sqlState == "40P01"
            || sqlState.hasPrefix("53")
    }

    public var description: String {
        var context: [String] = []
        if let sqlState { context.append("sqlstate=\(sqlState)") }
        if let table { context.append("table=\(table)") }
        let suffix = context.isEmpty ? "" : " (" + context.joined(separator: ", ") + ")"
        return "[\(code.rawValue)] \(message)\(suffix)"
    }
}
