/// The grammar of JSON numbers and literals, shared by both specializations of
/// ``JSONScanner`` (non-generic, so emitted once): each check returns
/// the position after the token, or `nil` when the bytes at `first` are not one.
enum JSONScalarSyntax {
    typealias Position = UnsafePointer<UInt8>

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// The end of the number at `first` (RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    static func numberEnd(_ first: Position, end: Position) -> Position? {
        var p = first
        if p.pointee == UInt8(ascii: "-") { p += 1 }
        guard p < end else { return nil }
        if p.pointee == UInt8(ascii: "0") {
            p += 1
            // A leading zero may not be followed by more digits.
            if p < end && isDigit(p.pointee) { return nil }
        } else if isDigit(p.pointee) {
            while p < end && isDigit(p.pointee) { p += 1 }
        } else {
            return nil
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            guard p < end && isDigit(p.pointee) else { return nil }
            while p < end && isDigit(p.pointee) { p += 1 }
        }
        if p < end && (p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E")) {
            p += 1
            if p < end && (p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-")) { p += 1 }
            guard p < end && isDigit(p.pointee) else { return nil }
            while p < end && isDigit(p.pointee) { p += 1 }
        }
        return p
    }

    /// The end of `literal` (`true`, `false` or `null`) if the bytes at `p` spell it.
    static func literalEnd(_ p: Position, _ literal: StaticString, end: Position) -> Position? {
        let n = literal.utf8CodeUnitCount
        guard end - p >= n else { return nil }
        let expected = literal.utf8Start
        for k in 0..<n where p[k] != expected[k] { return nil }
        return p + n
    }
}
