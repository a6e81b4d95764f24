/// The recursive-descent pass behind ``JSONFieldExtractor/scan(_:)``: one scan over raw
/// pointers, each function taking the position it starts at and returning the one after
/// what it consumed.
///
/// Strings, the bulk of a typical event, are skipped by `Strings`: eight bytes per step
/// (``WordStringSkipper``), or by one lookup in a precomputed index of closing quotes
/// (``IndexedStringSkipper``). Error codes and offsets are the byte-at-a-time scanner's,
/// exactly.
struct JSONScanner<Strings: JSONStringSkipper> {
    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    let strings: Strings
    let paths: JSONPathTable
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
            p = try parseValue(p, depth: 0)
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

    // MARK: - Values

    /// A value no path looks inside: objects that might hold a wanted key go to
    /// ``parseObject(_:depth:mask:)`` directly.
    private func parseValue(_ p: Position, depth: Int) throws(JSONScanError) -> Position {
        guard p < end else { throw fail(.unexpectedEnd, p) }
        switch p.pointee {
        case UInt8(ascii: "\""):
            return try parseString(p).next
        case UInt8(ascii: "{"):
            return try skipObject(p, depth: depth)
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
        let (first, empty) = try openContainer(open, depth: depth, close: UInt8(ascii: "}"))
        if empty { return first }
        var p = first
        while true {
            guard p < end else { throw fail(.unexpectedEnd, p) }
            guard p.pointee == UInt8(ascii: "\"") else { throw fail(.unexpectedByte, p) }
            var childMask: UInt64 = 0
            if mask == 0 {
                p = try parseString(p).next
            } else {
                (p, childMask) = try parseKey(p, depth: depth, mask: mask)
            }
            p = try afterColon(p)
            if childMask == 0 {
                p = try skipMemberValue(p, depth: depth)
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
                p = try parseValue(p, depth: depth + 1)  // not an object: nothing below it to find
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
            let (next, more) = try afterMember(p, close: UInt8(ascii: "}"))
            if !more { return next }
            p = next
        }
    }

    /// ``parseObject(_:depth:mask:)`` for an object no path enters (`mask` 0): the same
    /// checks and errors without the key matching, in a smaller function (fewer registers to
    /// save, no constants to spill) for the nested objects the paths skip.
    private func skipObject(_ open: Position, depth: Int) throws(JSONScanError) -> Position {
        let (first, empty) = try openContainer(open, depth: depth, close: UInt8(ascii: "}"))
        if empty { return first }
        var p = first
        while true {
            guard p < end else { throw fail(.unexpectedEnd, p) }
            guard p.pointee == UInt8(ascii: "\"") else { throw fail(.unexpectedByte, p) }
            p = try afterColon(try parseString(p).next)
            p = try skipMemberValue(p, depth: depth)
            let (next, more) = try afterMember(p, close: UInt8(ascii: "}"))
            if !more { return next }
            p = next
        }
    }

    private func parseArray(_ open: Position, depth: Int) throws(JSONScanError) -> Position {
        let (first, empty) = try openContainer(open, depth: depth, close: UInt8(ascii: "]"))
        if empty { return first }
        var p = first
        while true {
            if p < end && p.pointee == UInt8(ascii: "\"") {
                p = try parseString(p).next
            } else {
                p = try parseValue(p, depth: depth + 1)
            }
            let (next, more) = try afterMember(p, close: UInt8(ascii: "]"))
            if !more { return next }
            p = next
        }
    }

    // MARK: - Container steps shared by objects and arrays

    /// Checks the depth and skips the white space after the opening bracket at `open`:
    /// returns the first member's position, or, for an empty container, the position after
    /// its closing `close` with `empty` set.
    @inline(__always)
    private func openContainer(_ open: Position, depth: Int, close: UInt8) throws(JSONScanError) -> (Position, empty: Bool) {
        guard depth < maxDepth else { throw fail(.tooDeep, open) }
        let p = skipWhitespace(open + 1)
        guard p < end else { throw fail(.unexpectedEnd, p) }
        return p.pointee == close ? (p + 1, true) : (p, false)
    }

    /// The position after the colon that must follow a key ending at `p`, and any white space.
    @inline(__always)
    private func afterColon(_ p: Position) throws(JSONScanError) -> Position {
        if end - p >= 2 && p.pointee == UInt8(ascii: ":") && p[1] > 0x20 {
            return p + 1  // compact JSON: the colon, then the value, with no white space around
        }
        let colon = skipWhitespace(p)
        guard colon < end else { throw fail(.unexpectedEnd, colon) }
        guard colon.pointee == UInt8(ascii: ":") else { throw fail(.unexpectedByte, colon) }
        return skipWhitespace(colon + 1)
    }

    /// Skips a member value no path wants. Most values are strings: they are skipped here
    /// rather than through a call.
    @inline(__always)
    private func skipMemberValue(_ p: Position, depth: Int) throws(JSONScanError) -> Position {
        if p < end && p.pointee == UInt8(ascii: "\"") { return try parseString(p).next }
        if p < end && p.pointee == UInt8(ascii: "{") { return try skipObject(p, depth: depth + 1) }
        return try parseValue(p, depth: depth + 1)
    }

    /// After a member ending at `p`: the next member's position after a comma (`more`), or
    /// the position after `close`, which ends the container.
    @inline(__always)
    private func afterMember(_ p: Position, close: UInt8) throws(JSONScanError) -> (Position, more: Bool) {
        if end - p >= 2 && p.pointee == UInt8(ascii: ",") && p[1] == UInt8(ascii: "\"") {
            return (p + 1, true)  // compact JSON: the next key follows the comma directly
        }
        let separator = skipWhitespace(p)
        guard separator < end else { throw fail(.unexpectedEnd, separator) }
        if separator.pointee == UInt8(ascii: ",") { return (skipWhitespace(separator + 1), true) }
        if separator.pointee == close { return (separator + 1, false) }
        throw fail(.unexpectedByte, separator)
    }

    // MARK: - Strings and keys

    /// Parses the string opening at `open`; returns the position after its closing quote and
    /// whether it holds escapes.
    @inline(__always)
    private func parseString(_ open: Position) throws(JSONScanError) -> (next: Position, escaped: Bool) {
        try strings.skipString(open, start: start, end: end)
    }

    /// Parses the key opening at `open` and returns the position after it with the paths of
    /// `mask` whose component at `depth` equals the key's raw bytes.
    @inline(__always)
    private func parseKey(_ open: Position, depth: Int, mask: UInt64) throws(JSONScanError) -> (next: Position, mask: UInt64) {
        let key = try strings.skipKey(open, start: start, end: end)
        return (key.next, matchKey(open + 1, length: key.length, head: key.head, depth: depth, mask: mask))
    }

    @inline(__always)
    private func matchKey(_ key: Position, length: Int, head: UInt64, depth: Int, mask: UInt64) -> UInt64 {
        paths.match(key, length: length, head: head, depth: depth, mask: mask)
    }

    @inline(__always)
    private func record(_ mask: UInt64, depth: Int, kind: JSONValueSlot.Kind, from: Position, to: Position) {
        paths.record(mask, depth: depth, kind: kind, start: from - start, end: to - start)
    }

    // MARK: - Numbers and literals

    private func parseNumber(_ first: Position) throws(JSONScanError) -> Position {
        guard let next = JSONScalarSyntax.numberEnd(first, end: end) else { throw fail(.invalidNumber, first) }
        return next
    }

    private func expectLiteral(_ p: Position, _ literal: StaticString) throws(JSONScanError) -> Position {
        guard let next = JSONScalarSyntax.literalEnd(p, literal, end: end) else { throw fail(.invalidLiteral, p) }
        return next
    }
}
