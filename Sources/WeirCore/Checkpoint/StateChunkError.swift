/// Why a stored ``StateChunk`` (or the operator state in it) could not be used.
///
/// Callers match on ``code``; ``detail`` names the offending values (byte offsets,
/// lengths, versions, configurations) for logs.
public struct StateChunkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier of the problem.
    public enum Code: String, Sendable, CaseIterable {
        /// Fewer bytes than the header or its declared payload length needs.
        case truncated = "truncated"
        /// The bytes do not start with the magic `WSC1`: not a state chunk.
        case badMagic = "bad_magic"
        /// A container version (or chunk kind) this reader does not know.
        case unsupportedVersion = "unsupported_version"
        /// The XXH64 of the header fields and payload does not match the stored one.
        case checksumMismatch = "checksum_mismatch"
        /// More bytes than the header declares.
        case trailingBytes = "trailing_bytes"
        /// The operator's state format version is one this reader does not know.
        case unsupportedStateFormat = "unsupported_state_format"
        /// The payload verified but does not parse as the operator's state (or the chunks
        /// do not form a full chunk followed by deltas).
        case malformedPayload = "malformed_payload"
        /// The state was written by an operator with another configuration.
        case configurationMismatch = "configuration_mismatch"
    }

    /// What is wrong.
    public var code: Code
    /// A human-readable explanation with the offending values.
    public var detail: String

    /// An error with its code and explanation.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }
}
