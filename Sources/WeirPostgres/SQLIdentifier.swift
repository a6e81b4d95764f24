/// A validated SQL identifier from configuration (a schema or table name), always emitted
/// double-quoted so it can never change the meaning of a statement.
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The name as written, e.g. `dau`.
    public let name: String

    /// Accepts 1...63 characters of ASCII letters, digits and `_`, not starting with a digit.
    public init(_ name: String) throws(PostgresError) {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 63 && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        guard valid else {
            throw PostgresError(
                .invalidIdentifier,
                "\"\(name)\" is not a valid identifier: use 1-63 letters, digits or _, not starting with a digit")
        }
        self.name = name
    }

    /// The identifier in double quotes, ready to splice into SQL.
    public var quoted: String { "\"\(name)\"" }

    /// `"schema"."name"`.
    public func qualified(in schema: SQLIdentifier) -> String { "\(schema.quoted).\(quoted)" }

    public var description: String { name }
}
