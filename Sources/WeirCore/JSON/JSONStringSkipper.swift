/// How a ``JSONScanner`` finds the end of a string: the one part of a scan whose cost grows
/// with the bytes of a document rather than with its structure.
protocol JSONStringSkipper {
    /// The position after the closing quote of the string whose opening quote is at `open`,
    /// and whether the string holds escapes. Errors carry offsets from `start`.
    func skipString(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, escaped: Bool)

    /// ``skipString(_:start:end:)`` for an object key, with the key's raw length and its first
    /// `min(length, 8)` bytes as a little-endian word, zero padded (see ``JSONKeyPattern``).
    func skipKey(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, length: Int, head: UInt64)
}

extension JSONStringSkipper {
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// The head word of the `length`-byte key at `body`, which may lie near `end`.
    @inline(__always)
    static func keyHead(_ body: UnsafePointer<UInt8>, length: Int, end: UnsafePointer<UInt8>) -> UInt64 {
        if end - body >= 8 { return JSONKeyPattern.lowBytes(load(body), length) }
        var head: UInt64 = 0
        for k in 0..<min(length, 8) { head |= UInt64(body[k]) &<< UInt64(8 &* k) }
        return head
    }
}

/// Skips strings eight bytes per step with a SWAR test for quote, backslash and control
/// bytes; a string that ends within its first word costs one load. Needs nothing prepared,
/// so it serves every document.
struct WordStringSkipper: JSONStringSkipper {
    /// A word with the high bit set in each byte of `word` that is a quote, a backslash or
    /// below 0x20; the lowest set bit marks the first such byte exactly (higher ones may be
    /// false positives from borrows, which the byte-wise loop sorts out).
    @inline(__always)
    private static func specialStringBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    @inline(__always)
    func skipString(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, escaped: Bool)
    {
        var p = open + 1
        while end - p >= 8 {
            let special = Self.specialStringBytes(Self.load(p))
            if special == 0 {
                p += 8
                continue
            }
            p += special.trailingZeroBitCount &>> 3
            if p.pointee == UInt8(ascii: "\"") { return (p + 1, false) }
            break
        }
        return try Self.skipStringRest(p, start: start, end: end)
    }

    /// The rest of a string from `p`, which is a backslash, a control byte, or within eight
    /// bytes of the end.
    private static func skipStringRest(_ from: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>)
        throws(JSONScanError) -> (next: UnsafePointer<UInt8>, escaped: Bool)
    {
        var p = from
        var escaped = false
        while p < end {
            while end - p >= 8 {
                let special = specialStringBytes(load(p))
                if special != 0 {
                    p += special.trailingZeroBitCount &>> 3
                    break
                }
                p += 8
            }
            guard p < end else { break }
            let b = p.pointee
            if b == UInt8(ascii: "\"") { return (p + 1, escaped) }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard end - p > 1 else { throw JSONScanError(.unexpectedEnd, at: p - start) }
                switch p[1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    p += 2
                case UInt8(ascii: "u"):
                    guard end - p > 5 else { throw JSONScanError(.unexpectedEnd, at: p - start) }
                    for k in 2...5 where JSONString.hexValue(p[k]) == nil {
                        throw JSONScanError(.invalidEscape, at: p - start)
                    }
                    p += 6
                default:
                    throw JSONScanError(.invalidEscape, at: p - start)
                }
                continue
            }
            if b < 0x20 { throw JSONScanError(.controlCharacter, at: p - start) }
            p += 1
        }
        throw JSONScanError(.unexpectedEnd, at: p - start)
    }

    /// A key of up to 15 bytes without escapes is found by one or two word tests; anything
    /// else takes the slow path, kept out of line so that this one stays small enough to inline.
    @inline(__always)
    func skipKey(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, length: Int, head: UInt64)
    {
        let body = open + 1
        if end - body >= 16 {
            let word = Self.load(body)
            var special = Self.specialStringBytes(word)
            var n = 0
            if special == 0 {
                // The first word is all key: its quote may be in the second.
                special = Self.specialStringBytes(Self.load(body + 8))
                n = 8
            }
            if special != 0 {
                n &+= special.trailingZeroBitCount &>> 3
                if body[n] == UInt8(ascii: "\"") {
                    return (body + n + 1, n, JSONKeyPattern.lowBytes(word, n))
                }
            }
        }
        return try skipKeySlow(open, start: start, end: end)
    }

    /// ``skipKey(_:start:end:)`` for long or escaped keys and keys near the end.
    @inline(never)
    private func skipKeySlow(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, length: Int, head: UInt64)
    {
        let body = open + 1
        let next = try skipString(open, start: start, end: end).next
        let length = next - 1 - body
        return (next, length, Self.keyHead(body, length: length, end: end))
    }
}
