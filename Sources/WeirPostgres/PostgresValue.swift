/// A bound statement parameter. Values are always sent as parameters, never spliced into SQL.
public enum PostgresValue: Sendable, Equatable {
    case null
    /// Sent in text format; the server casts it to the parameter's type.
    case text(String)
    /// Sent in binary format, for `bytea` parameters.
    case bytes([UInt8])

    /// Bytes on the wire (for accounting).
    public var byteCount: Int {
        switch self {
        case .null: return 0
        case .text(let s): return s.utf8.count
        case .bytes(let b): return b.count
        }
    }

    /// An integer, sent as text.
    public static func int(_ value: some BinaryInteger) -> PostgresValue { .text(String(value)) }
}

/// The rows of a result, in text format.
public struct PostgresRows: Sendable {
    public var columns: [String]
    public var rows: [[String?]]
    /// Rows affected by an INSERT/UPDATE/DELETE (`PQcmdTuples`), else 0.
    public var affectedRows: Int
}
