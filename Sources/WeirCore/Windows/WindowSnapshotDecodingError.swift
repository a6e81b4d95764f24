/// Why snapshot bytes of a window operator could not be decoded, with the byte offset.
///
/// Callers match on ``code``, whose raw values are stable and may be logged or stored.
public struct WindowSnapshotDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, CaseIterable {
        /// The bytes end early.
        case truncated = "truncated"
        /// The bytes do not start with the window snapshot magic.
        case badMagic = "bad_magic"
        /// A format version this build does not read.
        case unsupportedVersion = "unsupported_version"
        /// The trailing checksum does not match the bytes.
        case checksumMismatch = "checksum_mismatch"
        /// A field holds a value that cannot occur (a flag, a count, a key or partial).
        case invalidValue = "invalid_value"
        /// Bytes left over after the last pane.
        case trailingBytes = "trailing_bytes"
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset of the problem.
    public var offset: Int

    /// An error of kind `code` at byte `offset`.
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// A one-line summary for logs and test failures.
    public var description: String { "\(code.rawValue) at byte \(offset)" }
}
