/// A dotted path to a field inside nested JSON objects, such as `properties.user_id`.
///
/// Paths only descend through objects; array elements are not addressable.
public struct JSONFieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The object keys from the root, as raw UTF-8 bytes.
    public let components: [[UInt8]]

    /// Parses a dotted path. Returns `nil` for an empty path or an empty component.
    public init?(_ dotted: String) {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.components = parts.map { Array($0.utf8) }
    }

    public var description: String {
        components.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }
}
