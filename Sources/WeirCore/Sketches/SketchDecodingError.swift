/// Why stored sketch bytes could not be decoded, with the byte offset of the problem.
///
/// Callers match on ``code``, whose raw values are stable and may be logged or stored.
public struct SketchDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable {
        /// The bytes end before the header or the payload does.
        case truncated = "truncated"
        /// The bytes do not start with the sketch's magic number.
        case badMagic = "bad_magic"
        /// A format version this build does not read.
        case unsupportedVersion = "unsupported_version"
        /// An unknown representation tag (neither sparse nor dense).
        case unknownEncoding = "unknown_encoding"
        /// A precision outside the supported range.
        case unsupportedPrecision = "unsupported_precision"
        /// A hash-function id other than the one this build hashes with.
        case unknownHashFunction = "unknown_hash_function"
        /// A reserved byte that is not zero.
        case reservedByte = "reserved_byte"
        /// A dense register above its maximum value.
        case invalidRegister = "invalid_register"
        /// A sparse entry out of range, out of order, or duplicated.
        case invalidSparseEntry = "invalid_sparse_entry"
        /// A variable-length integer that is longer than allowed.
        case invalidVarint = "invalid_varint"
        /// Bytes left over after the payload.
        case trailingBytes = "trailing_bytes"
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset in the encoded sketch.
    public var offset: Int

    /// An error of kind `code` at byte `offset`.
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "\(code.rawValue) at byte \(offset)" }
}
