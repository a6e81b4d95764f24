import WeirCore

/// The byte-at-a-time scanner JSONFieldExtractor replaced, kept verbatim (renamed) as the
/// oracle for the differential tests: same acceptance, same error codes and offsets, same slots.
struct ReferenceJSONFieldExtractor {
    /// The requested paths, in the order their slots appear in ``slots``.
    let paths: [JSONFieldPath]
    /// After a successful scan, `slots[i]` describes the value at `paths[i]`.
    private(set) var slots: [JSONValueSlot]
    /// Nesting deeper than this is rejected, which also bounds recursion.
    let maxDepth: Int

    private let rootMask: UInt64

    init(paths: [JSONFieldPath], maxDepth: Int = 64) {
        precondition(paths.count <= 64, "at most 64 paths")
        self.paths = paths
        self.slots = Array(repeating: .missing, count: paths.count)
        self.maxDepth = maxDepth
        self.rootMask = paths.isEmpty ? 0 : (paths.count == 64 ? ~0 : (UInt64(1) << UInt64(paths.count)) - 1)
    }

    /// Scans `bytes`, which must hold exactly one JSON value (surrounding white space allowed).
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
        for i in slots.indices { slots[i] = .missing }
        var cursor = Cursor(base: bytes.baseAddress, count: bytes.count)
        cursor.skipWhitespace()
        try parseValue(&cursor, depth: 0, mask: rootMask)
        cursor.skipWhitespace()
        if cursor.index != cursor.count { throw JSONScanError(.trailingBytes, at: cursor.index) }
    }

    // MARK: - Recursive descent

    private struct Cursor {
        let base: UnsafePointer<UInt8>?
        let count: Int
        var index = 0

        init(base: UnsafePointer<UInt8>?, count: Int) {
            self.base = base
            self.count = count
        }

        @inline(__always) var atEnd: Bool { index >= count }
        @inline(__always) func peek() -> UInt8 { base.unsafelyUnwrapped[index] }
        @inline(__always) subscript(_ i: Int) -> UInt8 { base.unsafelyUnwrapped[i] }

        @inline(__always) mutating func skipWhitespace() {
            while index < count {
                let b = base.unsafelyUnwrapped[index]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                index += 1
            }
        }
    }

    /// `mask` holds the paths that match every key from the root down to this value.
    private mutating func parseValue(_ c: inout Cursor, depth: Int, mask: UInt64) throws(JSONScanError) {
        guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
        switch c.peek() {
        case UInt8(ascii: "{"):
            try parseObject(&c, depth: depth, mask: mask)
        case UInt8(ascii: "["):
            try parseArray(&c, depth: depth)
        case UInt8(ascii: "\""):
            _ = try parseString(&c)
        case UInt8(ascii: "t"):
            try expectLiteral(&c, "true")
        case UInt8(ascii: "f"):
            try expectLiteral(&c, "false")
        case UInt8(ascii: "n"):
            try expectLiteral(&c, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try parseNumber(&c)
        default:
            throw JSONScanError(.unexpectedByte, at: c.index)
        }
    }

    private mutating func parseObject(_ c: inout Cursor, depth: Int, mask: UInt64) throws(JSONScanError) {
        guard depth < maxDepth else { throw JSONScanError(.tooDeep, at: c.index) }
        c.index += 1  // {
        c.skipWhitespace()
        guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
        if c.peek() == UInt8(ascii: "}") {
            c.index += 1
            return
        }
        while true {
            guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
            guard c.peek() == UInt8(ascii: "\"") else { throw JSONScanError(.unexpectedByte, at: c.index) }
            let keyStart = c.index + 1
            _ = try parseString(&c)
            let keyEnd = c.index - 1
            let childMask = mask == 0 ? 0 : matchKey(c, keyStart, keyEnd, depth: depth, mask: mask)
            c.skipWhitespace()
            guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
            guard c.peek() == UInt8(ascii: ":") else { throw JSONScanError(.unexpectedByte, at: c.index) }
            c.index += 1
            c.skipWhitespace()
            let valueStart = c.index
            try parseValue(&c, depth: depth + 1, mask: childMask)
            if childMask != 0 { record(c, childMask, depth: depth, valueStart: valueStart) }
            c.skipWhitespace()
            guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
            let b = c.peek()
            c.index += 1
            if b == UInt8(ascii: ",") {
                c.skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "}") { return }
            throw JSONScanError(.unexpectedByte, at: c.index - 1)
        }
    }

    private mutating func parseArray(_ c: inout Cursor, depth: Int) throws(JSONScanError) {
        guard depth < maxDepth else { throw JSONScanError(.tooDeep, at: c.index) }
        c.index += 1  // [
        c.skipWhitespace()
        guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
        if c.peek() == UInt8(ascii: "]") {
            c.index += 1
            return
        }
        while true {
            try parseValue(&c, depth: depth + 1, mask: 0)
            c.skipWhitespace()
            guard !c.atEnd else { throw JSONScanError(.unexpectedEnd, at: c.index) }
            let b = c.peek()
            c.index += 1
            if b == UInt8(ascii: ",") {
                c.skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "]") { return }
            throw JSONScanError(.unexpectedByte, at: c.index - 1)
        }
    }

    /// Returns whether the string had escapes; leaves the cursor after the closing quote.
    private func parseString(_ c: inout Cursor) throws(JSONScanError) -> Bool {
        c.index += 1  // opening quote
        var escaped = false
        while c.index < c.count {
            #if _endian(little)
            // Skip 8 plain bytes at a time; stop at the first quote, backslash or control byte.
            while c.index + 8 <= c.count {
                let word = UnsafeRawPointer(c.base.unsafelyUnwrapped + c.index).loadUnaligned(as: UInt64.self)
                let special = Self.specialStringBytes(word)
                if special != 0 {
                    c.index += special.trailingZeroBitCount >> 3
                    break
                }
                c.index += 8
            }
            guard c.index < c.count else { break }
            #endif
            let b = c[c.index]
            if b == UInt8(ascii: "\"") {
                c.index += 1
                return escaped
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard c.index + 1 < c.count else { throw JSONScanError(.unexpectedEnd, at: c.index) }
                switch c[c.index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    c.index += 2
                case UInt8(ascii: "u"):
                    guard c.index + 5 < c.count else { throw JSONScanError(.unexpectedEnd, at: c.index) }
                    for k in 2...5 where JSONString.hexValue(c[c.index + k]) == nil {
                        throw JSONScanError(.invalidEscape, at: c.index)
                    }
                    c.index += 6
                default:
                    throw JSONScanError(.invalidEscape, at: c.index)
                }
                continue
            }
            if b < 0x20 { throw JSONScanError(.controlCharacter, at: c.index) }
            c.index += 1
        }
        throw JSONScanError(.unexpectedEnd, at: c.index)
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

    private func parseNumber(_ c: inout Cursor) throws(JSONScanError) {
        let start = c.index
        if c.peek() == UInt8(ascii: "-") { c.index += 1 }
        guard !c.atEnd else { throw JSONScanError(.invalidNumber, at: start) }
        if c.peek() == UInt8(ascii: "0") {
            c.index += 1
            // A leading zero may not be followed by more digits.
            if !c.atEnd && isDigit(c.peek()) { throw JSONScanError(.invalidNumber, at: start) }
        } else if isDigit(c.peek()) {
            while !c.atEnd && isDigit(c.peek()) { c.index += 1 }
        } else {
            throw JSONScanError(.invalidNumber, at: start)
        }
        if !c.atEnd && c.peek() == UInt8(ascii: ".") {
            c.index += 1
            guard !c.atEnd && isDigit(c.peek()) else { throw JSONScanError(.invalidNumber, at: start) }
            while !c.atEnd && isDigit(c.peek()) { c.index += 1 }
        }
        if !c.atEnd && (c.peek() == UInt8(ascii: "e") || c.peek() == UInt8(ascii: "E")) {
            c.index += 1
            if !c.atEnd && (c.peek() == UInt8(ascii: "+") || c.peek() == UInt8(ascii: "-")) { c.index += 1 }
            guard !c.atEnd && isDigit(c.peek()) else { throw JSONScanError(.invalidNumber, at: start) }
            while !c.atEnd && isDigit(c.peek()) { c.index += 1 }
        }
    }

    private func expectLiteral(_ c: inout Cursor, _ literal: StaticString) throws(JSONScanError) {
        let n = literal.utf8CodeUnitCount
        guard c.index + n <= c.count else { throw JSONScanError(.invalidLiteral, at: c.index) }
        let p = literal.utf8Start
        for k in 0..<n where c[c.index + k] != p[k] {
            throw JSONScanError(.invalidLiteral, at: c.index)
        }
        c.index += n
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// The subset of `mask` whose component at `depth` equals the key bytes.
    private func matchKey(_ c: Cursor, _ start: Int, _ end: Int, depth: Int, mask: UInt64) -> UInt64 {
        var result: UInt64 = 0
        var remaining = mask
        let length = end - start
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            let components = paths[i].components
            guard depth < components.count else { continue }
            let key = components[depth]
            guard key.count == length else { continue }
            var equal = true
            for k in 0..<length where key[k] != c[start + k] {
                equal = false
                break
            }
            if equal { result |= UInt64(1) << UInt64(i) }
        }
        return result
    }

    /// Records the value just parsed for every path in `mask` that ends at this depth.
    private mutating func record(_ c: Cursor, _ mask: UInt64, depth: Int, valueStart: Int) {
        var remaining = mask
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            guard paths[i].components.count == depth + 1 else { continue }
            let kind: JSONValueSlot.Kind
            var start = valueStart
            var end = c.index
            switch c[valueStart] {
            case UInt8(ascii: "\""):
                start += 1
                end -= 1
                var hasEscape = false
                var k = start
                while k < end {
                    if c[k] == UInt8(ascii: "\\") {
                        hasEscape = true
                        break
                    }
                    k += 1
                }
                kind = hasEscape ? .escapedString : .string
            case UInt8(ascii: "{"): kind = .object
            case UInt8(ascii: "["): kind = .array
            case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = .bool
            case UInt8(ascii: "n"): kind = .null
            default: kind = .number
            }
            slots[i] = JSONValueSlot(kind: kind, start: start, end: end)
        }
    }
}
