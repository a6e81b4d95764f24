internal import CLibPQ

/// One libpq connection.
///
/// Thread ownership: a connection is not thread-safe; exactly one thread uses it at a time
/// (the task or command that created it). Its calls block, so it never runs on Swift's
/// cooperative thread pool.
public final class PostgresConnection: @unchecked Sendable {
    private let url: String
    private var connection: OpaquePointer?

    /// Connects. The error message never contains the password.
    public init(url: String) throws(PostgresError) {
        self.url = url
        try connect()
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    /// The URL with its password masked, for logs.
    public var redactedURL: String { PostgresURL.redacted(url) }

    /// Whether the connection is up, as far as libpq knows without a round trip.
    public var isConnected: Bool {
        guard let connection else { return false }
        return PQstatus(connection) == CONNECTION_OK
    }

    /// Drops the current connection and opens a new one.
    public func reconnect() throws(PostgresError) {
        if let connection { PQfinish(connection) }
        connection = nil
        try connect()
    }

    private func connect() throws(PostgresError) {
        let conn = PQconnectdb(url)!
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.errorText(conn)
            PQfinish(conn)
            throw PostgresError(.connection, "cannot connect to \(redactedURL): \(message)")
        }
        PQsetNoticeProcessor(conn, PostgresCallbacks.silentNotice, nil)
        connection = conn
    }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = [], table: String? = nil) throws(PostgresError) -> PostgresRows {
        let read = try execute(sql, parameters, table: table, binaryResults: false) { result, rowCount, columnCount in
            var rows: [[String?]] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                var row: [String?] = []
                for c in 0..<columnCount {
                    if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                        row.append(nil)
                    } else {
                        row.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                    }
                }
                rows.append(row)
            }
            return rows
        }
        return PostgresRows(columns: read.columns, rows: read.rows, affectedRows: read.affected)
    }

    /// Runs a query whose result columns come back in PostgreSQL's binary format, as raw
    /// bytes (`bytea` as is; `bigint` as 8 big-endian bytes). For large `bytea` values, which
    /// the text format would double in size.
    public func fetchBinary(_ sql: String, _ parameters: [PostgresValue] = [], table: String? = nil) throws(PostgresError) -> [[[UInt8]?]] {
        try execute(sql, parameters, table: table, binaryResults: true) { result, rowCount, columnCount in
            var rows: [[[UInt8]?]] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                var row: [[UInt8]?] = []
                for c in 0..<columnCount {
                    if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                        row.append(nil)
                    } else {
                        let length = Int(PQgetlength(result, Int32(r), Int32(c)))
                        let value = PQgetvalue(result, Int32(r), Int32(c))
                        row.append(value.map { p in
                            Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: length))
                        } ?? [])
                    }
                }
                rows.append(row)
            }
            return rows
        }.rows
    }

    private func execute<Row>(
        _ sql: String, _ parameters: [PostgresValue], table: String?, binaryResults: Bool,
        readRows: (OpaquePointer, Int, Int) -> [Row]
    ) throws(PostgresError) -> (rows: [Row], columns: [String], affected: Int) {
        guard let connection else { throw PostgresError(.connection, "not connected to \(redactedURL)") }
        let count = parameters.count
        var values = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        var lengths = [Int32](repeating: 0, count: count)
        var formats = [Int32](repeating: 0, count: count)
        defer { for v in values { v?.deallocate() } }
        for (i, p) in parameters.enumerated() {
            switch p {
            case .null:
                break
            case .text(let s):
                let utf8 = Array(s.utf8)
                let buf = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
                utf8.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { UnsafeMutableRawPointer(buf).copyMemory(from: base, byteCount: utf8.count) }
                }
                buf[utf8.count] = 0
                values[i] = buf
                lengths[i] = Int32(utf8.count)
            case .bytes(let b):
                let buf = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
                b.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { UnsafeMutableRawPointer(buf).copyMemory(from: base, byteCount: b.count) }
                }
                values[i] = buf
                lengths[i] = Int32(b.count)
                formats[i] = 1
            }
        }
        let result: OpaquePointer? = values.withUnsafeBufferPointer { v in
            v.withMemoryRebound(to: UnsafePointer<CChar>?.self) { cv in
                PQexecParams(connection, sql, Int32(count), nil, cv.baseAddress, lengths, formats, binaryResults ? 1 : 0)
            }
        }
        guard let result else {
            throw PostgresError(.connection, "no result from server: \(Self.errorText(connection))", table: table)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error"
            let lost = PQstatus(connection) != CONNECTION_OK
            throw PostgresError(
                lost ? .connection : .query, message.trimmingTrailingNewlines(), sqlState: sqlState, table: table)
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        for c in 0..<columnCount { columns.append(String(cString: PQfname(result, Int32(c)))) }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return (readRows(result, rowCount, columnCount), columns, affected)
    }

    /// Runs `body` inside BEGIN/COMMIT; rolls back when it throws.
    public func transaction<R>(_ body: () throws(PostgresError) -> R) throws(PostgresError) -> R {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isConnected { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    private static func errorText(_ conn: OpaquePointer) -> String {
        PQerrorMessage(conn).map { String(cString: $0) }?.trimmingTrailingNewlines() ?? "unknown error"
    }
}

enum PostgresCallbacks {
    /// Drops server notices such as "relation already exists, skipping".
    static let silentNotice: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void = { _, _ in }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
