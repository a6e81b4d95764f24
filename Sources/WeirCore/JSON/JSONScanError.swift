/// Why a payload is not valid JSON, with the byte offset where the scanner gave up.
public struct JSONScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of syntax error.
    public enum Code: String, Sendable {
        case unexpectedEnd = "unexpected_end"
        case unexpectedByte = "unexpected_byte"
        case tooDeep = "too_deep"
        case trailingBytes = "trailing_bytes"
        case invalidEscape = "invalid_escape"
        case controlCharacter = "control_character"
        case invalidNumber = "invalid_number"
        case invalidLiteral = "invalid_literal"
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset in the payload.
    public var offset: Int

    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "\(code.rawValue) at byte \(offset)" }
}
