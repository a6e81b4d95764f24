/// One object key a ``JSONFieldExtractor`` path wants at one depth, laid out for a fast
/// compare: the length, then the first eight bytes as one little-endian word (zero padded),
/// and only for longer keys the rest of the bytes.
struct JSONKeyPattern: Sendable {
    /// Key length in bytes; -1 never matches.
    var length: Int
    /// The first `min(length, 8)` bytes, little-endian, zero padded.
    var head: UInt64
    /// For keys of 9 to 16 bytes, the last eight bytes as one little-endian word; else 0.
    var tail: UInt64
    /// Where the key's bytes start in the extractor's key buffer.
    var offset: Int
    /// Whether the key is the path's last component, so the value under it is recorded.
    var isLast: Bool

    /// A pattern no key matches (for depths past the end of a path).
    static let never = JSONKeyPattern(length: -1, head: 0, tail: 0, offset: 0, isLast: false)

    init(length: Int, head: UInt64, tail: UInt64, offset: Int, isLast: Bool) {
        self.length = length
        self.head = head
        self.tail = tail
        self.offset = offset
        self.isLast = isLast
    }

    init(_ key: [UInt8], offset: Int, isLast: Bool) {
        var head: UInt64 = 0
        for (i, b) in key.prefix(8).enumerated() { head |= UInt64(b) << UInt64(8 * i) }
        var tail: UInt64 = 0
        if key.count > 8 && key.count <= 16 {
            for (i, b) in key.suffix(8).enumerated() { tail |= UInt64(b) << UInt64(8 * i) }
        }
        self.init(length: key.count, head: head, tail: tail, offset: offset, isLast: isLast)
    }

    /// The low `count` bytes of `word` (`count` in 0...8).
    @inline(__always)
    static func lowBytes(_ word: UInt64, _ count: Int) -> UInt64 {
        count >= 8 ? word : word & ((UInt64(1) &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1)
    }
}
