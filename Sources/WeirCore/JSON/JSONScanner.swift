/// The recursive-descent pass behind ``JSONFieldExtractor/scan(_:)``: one scan over raw
/// pointers, each function taking the position it starts at and returning the one after
/// what it consumed.
///
/// Strings, the bulk of a typical event, are skipped eight bytes per step (a SWAR test for
/// quote, backslash and control bytes); a string that ends within its first word costs one
/// load. Error codes and offsets are the byte-at-a-time scanner's, exactly.
struct JSONScanner {
    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    let patterns: UnsafePointer<JSONKeyPattern>?
    let patternStride: Int
    let keyBytes: UnsafePointer<UInt8>?
    let slots: UnsafeMutablePointer<JSONValueSlot>?
    let maxDepth: Int

    typealias Position = UnsafePointer<UInt8>

    @inline(__always)
    private func fail(_ code: JSONScanError.Code, _ p: Position) -> JSONScanError {
        JSONScanError(code, at: p - start)
    }

    @inline(__always)
    func scanDocument(mask: UInt64) throws(JSONScanError) {
        var p = skipWhitespace(start)
        if p < end && p.pointee == UInt8(ascii: "{") {
            p = try parseObject(p, depth: 0, mask: mask)  // the usual document, without the dispatch
        } else {
            p = try parseValue(p, depth: 0, mask: mask)
        }
        p = skipWhitespace(p)
        if p != end { throw fail(.trailingBytes, p) }
    }

    // MARK: - Bytes

    @inline(__always)
    private func skipWhitespace(_ p: Position) -> Position {
        var p = p
        while p < end {
            let b = p.pointee
            if b > 0x20 { return p }
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return p }
            p += 1
        }
        return p
    }

    @inline(__always)
    private static func load(_ p: Position) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

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

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: - Values

    /// `mask` holds the paths that match every key from the root down to this value.
    private func parseValue(_ p: Position, depth: Int, mask: UInt64) throws(JSONScanError) -> Position {
        guard p < end else { throw fail(.unexpectedEnd, p) }
        switch p.pointee {
        case UInt8(ascii: "\""):
            return try parseString(p).next
        case UInt8(ascii: "{"):
            return mask == 0 ? try skipObject(p, depth: depth) : try parseObject(p, depth: depth, mask: mask)
        case UInt8(ascii: "["):
            return try parseArray(p, depth: depth)
        case UInt8(ascii: "t"):
            return try expectLiteral(p, "true")
        case UInt8(ascii: "f"):
            return try expectLiteral(p, "false")
        case UInt8(ascii: "n"):
            return try expectLiteral(p, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber(p)
        default:
            throw fail(.unexpectedByte, p)
        }
    }

    private func parseObject(_ open: Position, depth: Int, mask: UInt64) throws(JSONScanError) -> Position {
        guard depth < maxDepth else { throw fail(.tooDeep, open) }
        var p = skipWhitespace(open + 1)
        guard p < end else { throw fail(.unexpectedEnd, p) }
        if p.pointee == UInt8(ascii: "}") { return p + 1 }
        while true {
            guard p < end else { throw fail(.unexpectedEnd, p) }
            guard p.pointee == UInt8(ascii: "\"") else { throw fail(.unexpectedByte, p) }
            var childMask: UInt64 = 0
            if mask == 0 {
                p = try parseString(p).next
            } else {
                (p, childMask) = try parseKey(p, depth: depth, mask: mask)
            }
            if end - p >= 2 && p.pointee == UInt8(ascii: ":") && p[1] > 0x20 {
                p += 1  // compact JSON: the colon, then the value, with no white space around
            } else {
                p = skipWhitespace(p)
                guard p < end else { throw fail(.unexpectedEnd, p) }
                guard p.pointee == UInt8(ascii: ":") else { throw fail(.unexpectedByte, p) }
                p = skipWhitespace(p + 1)
            }
            if childMask == 0 {
                // Most values are strings: skip them here rather than through a call.
                if p < end && p.pointee == UInt8(ascii: "\"") {
                    p = try parseString(p).next
                } else if p < end && p.pointee == UInt8(ascii: "{") {
                    p = try skipObject(p, depth: depth + 1)
                } else {
                    p = try parseValue(p, depth: depth + 1, mask: 0)
                }
            } else if p < end && p.pointee == UInt8(ascii: "\"") {
                let valueStart = p
                let string = try parseString(p)
                p = string.next
                record(childMask, depth: depth, kind: string.escaped ? .escapedString : .string, from: valueStart + 1, to: p - 1)
            } else if p < end && p.pointee == UInt8(ascii: "{") {
                let valueStart = p
                p = try parseObject(p, depth: depth + 1, mask: childMask)
                record(childMask, depth: depth, kind: .object, from: valueStart, to: p)
            } else {
                let valueStart = p
                p = try parseValue(p, depth: depth + 1, mask: childMask)
                let kind: JSONValueSlot.Kind
                switch valueStart.pointee {
                case UInt8(ascii: "{"): kind = .object
                case UInt8(ascii: "["): kind = .array
                case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = .bool
                case UInt8(ascii: "n"): kind = .null
                default: kind = .number
                }
                record(childMask, depth: depth, kind: kind, from: valueStart, to: p)
            }
            if end - p >= 2 && p.pointee == UInt8(ascii: ",") && p[1] == UInt8(ascii: "\"") {
                p += 1  // compact JSON: the next key follows the comma directly
                continue
            }
            p = skipWhitespace(p)
            guard p < end else { throw fail(.unexpectedEnd, p) }
            let b = p.pointee
            p += 1
            if b == UInt8(ascii: ",") {
                p = skipWhitespace(p)
                continue
            }
            if b == UInt8(ascii: "}") { return p }
            throw fail(.unexpectedByte, p - 1)
        }
    }

    /// ``parseObject(_:depth:mask:)`` for an object no path enters (`mask` 0): the same
    /// checks and errors without the key matching, in a smaller function (fewer registers to
    /// save, no constants to spill) for the nested objects the paths skip.
    private func skipObject(_ open: Position, depth: Int) throws(JSONScanError) -> Position {
        guard depth < maxDepth else { throw fail(.tooDeep, open) }
        var p = skipWhitespace(open + 1)
        guard p < end else { throw fail(.unexpectedEnd, p) }
        if p.pointee == UInt8(ascii: "}") { return p + 1 }
        while true {
            guard p < end else { throw fail(.unexpectedEnd, p) }
            guard p.pointee == UInt8(ascii: "\"") else { throw fail(.unexpectedByte, p) }
            p = try parseString(p).next
            if end - p >= 2 && p.pointee == UInt8(ascii: ":") && p[1] > 0x20 {
                p += 1
            } else {
                p = skipWhitespace(p)
                guard p < end else { throw fail(.unexpectedEnd, p) }
                guard p.pointee == UInt8(ascii: ":") else { throw fail(.unexpectedByte, p) }
                p = skipWhitespace(p + 1)
            }
            if p < end && p.pointee == UInt8(ascii: "\"") {
                p = try parseString(p).next
            } else if p < end && p.pointee == UInt8(ascii: "{") {
                p = try skipObject(p, depth: depth + 1)
            } else {
                p = try parseValue(p, depth: depth + 1, mask: 0)
            }
            if end - p >= 2 && p.pointee == UInt8(ascii: ",") && p[1] == UInt8(ascii: "\"") {
                p += 1
                continue
            }
            p = skipWhitespace(p)
            guard p < end else { throw fail(.unexpectedEnd, p) }
            let b = p.pointee
            p += 1
            if b == UInt8(ascii: ",") {
                p = skipWhitespace(p)
                continue
            }
            if b == UInt8(ascii: "}") { return p }
            throw fail(.unexpectedByte, p - 1)
        }
    }

    private func parseArray(_ open: Position, depth: Int) throws(JSONScanError) -> Position {
        guard depth < maxDepth else { throw fail(.tooDeep, open) }
        var p = skipWhitespace(open + 1)
        guard p < end else { throw fail(.unexpectedEnd, p) }
        if p.pointee == UInt8(ascii: "]") { return p + 1 }
        while true {
            if p < end && p.pointee == UInt8(ascii: "\"") {
                p = try parseString(p).next
            } else {
                p = try parseValue(p, depth: depth + 1, mask: 0)
            }
            p = skipWhitespace(p)
            guard p < end else { throw fail(.unexpectedEnd, p) }
            let b = p.pointee
            p += 1
            if b == UInt8(ascii: ",") {
                p = skipWhitespace(p)
                continue
            }
            if b == UInt8(ascii: "]") { return p }
            throw fail(.unexpectedByte, p - 1)
        }
    }

    // MARK: - Strings and keys

    /// Parses the string opening at `open`; returns the position after its closing quote and
    /// whether it holds escapes.
    @inline(__always)
    private func parseString(_ open: Position) throws(JSONScanError) -> (next: Position, escaped: Bool) {
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
        return try parseStringRest(p)
    }

    /// The rest of a string from `p`, which is a backslash, a control byte, or within eight
    /// bytes of the end.
    private func parseStringRest(_ from: Position) throws(JSONScanError) -> (next: Position, escaped: Bool) {
        var p = from
        var escaped = false
        while p < end {
            while end - p >= 8 {
                let special = Self.specialStringBytes(Self.load(p))
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
                guard end - p > 1 else { throw fail(.unexpectedEnd, p) }
                switch p[1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    p += 2
                case UInt8(ascii: "u"):
                    guard end - p > 5 else { throw fail(.unexpectedEnd, p) }
                    for k in 2...5 where JSONString.hexValue(p[k]) == nil {
                        throw fail(.invalidEscape, p)
                    }
                    p += 6
                default:
                    throw fail(.invalidEscape, p)
                }
                continue
            }
            if b < 0x20 { throw fail(.controlCharacter, p) }
            p += 1
        }
        throw fail(.unexpectedEnd, p)
    }

    /// Parses the key opening at `open` and returns the position after it with the paths of
    /// `mask` whose component at `depth` equals the key's raw bytes. A key of up to 15 bytes
    /// without escapes is found by one or two word tests; anything else takes the slow path,
    /// kept out of line so that this one stays small enough to inline.
    @inline(__always)
    private func parseKey(_ open: Position, depth: Int, mask: UInt64) throws(JSONScanError) -> (next: Position, mask: UInt64) {
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
                    return (body + n + 1, matchKey(body, length: n, head: JSONKeyPattern.lowBytes(word, n), depth: depth, mask: mask))
                }
            }
        }
        return try parseKeySlow(open, depth: depth, mask: mask)
    }

    /// ``parseKey(_:depth:mask:)`` for long or escaped keys and keys near the end.
    @inline(never)
    private func parseKeySlow(_ open: Position, depth: Int, mask: UInt64) throws(JSONScanError) -> (next: Position, mask: UInt64) {
        let body = open + 1
        let next = try parseString(open).next
        let length = next - 1 - body
        var head: UInt64 = 0
        if length >= 8 {
            head = Self.load(body)
        } else {
            for k in 0..<length { head |= UInt64(body[k]) &<< UInt64(8 &* k) }
        }
        return (next, matchKey(body, length: length, head: head, depth: depth, mask: mask))
    }

    /// The subset of `mask` whose key at `depth` is the `length` bytes at `key`.
    @inline(__always)
    private func matchKey(_ key: Position, length: Int, head: UInt64, depth: Int, mask: UInt64) -> UInt64 {
        guard let patterns else { return 0 }
        var result: UInt64 = 0
        var remaining = mask
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            let pattern = patterns[depth &* patternStride &+ i]
            guard pattern.length == length, pattern.head == head else { continue }
            if length > 8 {
                // Keys of 9 to 16 bytes: the last eight bytes as one (overlapping) word.
                if length <= 16 {
                    guard Self.load(key + length - 8) == pattern.tail else { continue }
                } else {
                    let wanted = keyBytes.unsafelyUnwrapped + pattern.offset
                    var k = 8
                    while k < length && wanted[k] == key[k] { k += 1 }
                    guard k == length else { continue }
                }
            }
            result |= UInt64(1) &<< UInt64(i)
        }
        return result
    }

    /// Records the value just parsed for every path in `mask` that ends at this depth.
    @inline(__always)
    private func record(_ mask: UInt64, depth: Int, kind: JSONValueSlot.Kind, from: Position, to: Position) {
        guard let patterns, let slots else { return }
        var remaining = mask
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            if patterns[depth &* patternStride &+ i].isLast {
                slots[i] = JSONValueSlot(kind: kind, start: from - start, end: to - start)
            }
        }
    }

    // MARK: - Numbers and literals

    private func parseNumber(_ first: Position) throws(JSONScanError) -> Position {
        var p = first
        if p.pointee == UInt8(ascii: "-") { p += 1 }
        guard p < end else { throw fail(.invalidNumber, first) }
        if p.pointee == UInt8(ascii: "0") {
            p += 1
            // A leading zero may not be followed by more digits.
            if p < end && Self.isDigit(p.pointee) { throw fail(.invalidNumber, first) }
        } else if Self.isDigit(p.pointee) {
            while p < end && Self.isDigit(p.pointee) { p += 1 }
        } else {
            throw fail(.invalidNumber, first)
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            guard p < end && Self.isDigit(p.pointee) else { throw fail(.invalidNumber, first) }
            while p < end && Self.isDigit(p.pointee) { p += 1 }
        }
        if p < end && (p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E")) {
            p += 1
            if p < end && (p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-")) { p += 1 }
            guard p < end && Self.isDigit(p.pointee) else { throw fail(.invalidNumber, first) }
            while p < end && Self.isDigit(p.pointee) { p += 1 }
        }
        return p
    }

    private func expectLiteral(_ p: Position, _ literal: StaticString) throws(JSONScanError) -> Position {
        let n = literal.utf8CodeUnitCount
        guard end - p >= n else { throw fail(.invalidLiteral, p) }
        let expected = literal.utf8Start
        for k in 0..<n where p[k] != expected[k] {
            throw fail(.invalidLiteral, p)
        }
        return p + n
    }
}
