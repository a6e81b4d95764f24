/// The one error type of `WeirVector`: a stable `Code` to match on, plus the context that
/// explains it (the document id, the expected and actual sizes, the snapshot byte offset).
public struct VectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, matchable error code. New codes may be added; existing ones keep their meaning.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration
            case dimensionMismatch
            case invalidVector
            case unknownID
            case snapshotTruncated
            case snapshotChecksumMismatch
            case snapshotUnsupportedVersion
            case snapshotCorrupt
            case embedderUnavailable
            case embedderRejected
            case embedderUnauthorized
            case embedderResponseInvalid
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration value is out of range (dimension, `m`, `ef`, tombstone fraction).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A vector's length differs from the index dimension.
        public static let dimensionMismatch = Code(.dimensionMismatch)
        /// A vector holds NaN or infinity, or is all zeros under the cosine metric.
        public static let invalidVector = Code(.invalidVector)
        /// An operation that needs an existing id was given one the index does not hold.
        public static let unknownID = Code(.unknownID)
        /// A snapshot ends before its declared contents do.
        public static let snapshotTruncated = Code(.snapshotTruncated)
        /// A snapshot's payload does not match its checksum (a flipped or altered byte).
        public static let snapshotChecksumMismatch = Code(.snapshotChecksumMismatch)
        /// A snapshot was written by a format version this build cannot read.
        public static let snapshotUnsupportedVersion = Code(.snapshotUnsupportedVersion)
        /// A snapshot is not an HNSW snapshot, or its contents are inconsistent.
        public static let snapshotCorrupt = Code(.snapshotCorrupt)
        /// The embedding service could not be reached, timed out, or kept answering 429/5xx
        /// after every retry. Transient: the caller keeps its offsets and tries again later.
        public static let embedderUnavailable = Code(.embedderUnavailable)
        /// The embedding service refused the input (HTTP 400/413/422): retrying will not help.
        public static let embedderRejected = Code(.embedderRejected)
        /// The embedding service refused the credentials (HTTP 401/403), or none were set.
        public static let embedderUnauthorized = Code(.embedderUnauthorized)
        /// The embedding service answered with a body that is not the expected shape (wrong
        /// count or dimension of vectors, not JSON).
        public static let embedderResponseInvalid = Code(.embedderResponseInvalid)

        /// The stable name of the code, e.g. `snapshotChecksumMismatch`.
        public var description: String { base.rawValue }
    }

    /// What went wrong, for matching.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The document id involved, if any.
    public var id: String?
    /// The expected size (a dimension, a byte count), if any.
    public var expected: Int?
    /// The size that was found, if any.
    public var actual: Int?
    /// The byte offset in a snapshot where decoding failed, if any.
    public var offset: Int?
    /// The HTTP status an embedding service answered with, if any.
    public var status: Int?

    /// Creates an error with a code, a message and optional context.
    public init(
        _ code: Code, _ message: String, id: String? = nil, expected: Int? = nil, actual: Int? = nil,
        offset: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.id = id
        self.expected = expected
        self.actual = actual
        self.offset = offset
    }

    /// `code: message (id=..., expected=..., actual=..., offset=...)`.
    public var description: String {
        var context: [String] = []
        if let id { context.append("id=\(id)") }
        if let expected { context.append("expected=\(expected)") }
        if let actual { context.append("actual=\(actual)") }
        if let offset { context.append("offset=\(offset)") }
        if let status { context.append("status=\(status)") }
        return "\(code): \(message)" + (context.isEmpty ? "" : " (\(context.joined(separator: ", ")))")
    }
}
