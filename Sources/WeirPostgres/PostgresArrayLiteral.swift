/// Builds PostgreSQL array literals (`{...}`) for bulk statements such as
/// `unnest($1::text[])`. The literal is a bound parameter, so escaping here only has to
/// satisfy the array syntax, not SQL.
struct PostgresArrayLiteral {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separator() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
    }

    /// Appends an integer element.
    mutating func append(_ value: some BinaryInteger) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a NULL element.
    mutating func appendNull() {
        separator()
        bytes.append(contentsOf: "NULL".utf8)
    }

    /// Appends a text element, quoted, with `"` and `\` escaped.
    mutating func append(text: UnsafeBufferPointer<UInt8>) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        for b in text {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a text element from a String.
    mutating func append(text: String) {
        var s = text
        s.withUTF8 { append(text: $0) }
    }

    /// The finished literal.
    func finish() -> String {
        var b = bytes
        b.append(UInt8(ascii: "}"))
        return String(decoding: b, as: UTF8.self)
    }
}
