/// Where an extracted JSON value lies inside the scanned payload.
///
/// Ranges are byte offsets into the payload; for strings they exclude the quotes.
public struct JSONValueSlot: Sendable, Equatable {
    /// The JSON type of the value found at the path.
    public enum Kind: UInt8, Sendable {
        case missing
        case string
        /// A string containing backslash escapes; decode it with ``JSONString/unescape(_:into:)``.
        case escapedString
        case number
        case bool
        case null
        case object
        case array
    }

    public var kind: Kind
    public var start: Int
    public var end: Int

    public static let missing = JSONValueSlot(kind: .missing, start: 0, end: 0)

    public init(kind: Kind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}
