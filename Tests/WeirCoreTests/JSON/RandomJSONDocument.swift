import WeirCore

/// Random valid JSON text for property tests: every value kind, escapes, non-ASCII text,
/// white space between tokens, and (in top-level objects) a planted `properties.user_id`.
struct RandomJSONDocument {
    /// The serialized document.
    var bytes: [UInt8] = []
    /// Byte range of the top-level value (without surrounding white space).
    var valueRange: Range<Int> = 0..<0
    /// Whether the top-level value is a number (whose prefixes may be valid JSON too).
    var isNumber = false
    /// The slot the extractor should report for `properties.user_id`.
    var expectedUserSlot = JSONValueSlot.missing

    private var random: SplitMix64

    init(random: inout SplitMix64) {
        self.random = SplitMix64(seed: random.next())
        whitespace()
        let start = bytes.count
        switch self.random.below(4) {
        case 0: topLevelObject()
        case 1: value(depth: 1)
        case 2: number()
        default: scalar()
        }
        valueRange = start..<bytes.count
        isNumber = bytes[start] == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[start])
        whitespace()
    }

    private mutating func emit(_ text: String) { bytes += Array(text.utf8) }

    private mutating func whitespace() {
        guard random.below(3) == 0 else { return }
        emit([" ", "\n", "\t", "\r\n", "  \n\t"][random.below(5)])
    }

    private mutating func value(depth: Int) {
        switch random.below(depth >= 5 ? 4 : 7) {
        case 0: string()
        case 1: number()
        case 2: emit(["true", "false", "null"][random.below(3)])
        case 3: string()
        case 4, 5: object(depth: depth)
        default: array(depth: depth)
        }
    }

    private mutating func scalar() {
        switch random.below(3) {
        case 0: string()
        case 1: emit(["true", "false", "null"][random.below(3)])
        default: number()
        }
    }

    private static let stringPieces = [
        "a", "Z", "0", " ", "_", "é", "😀", "日本", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\uD83D\\uDE00",
        "\\t", "\\b", "\\f", "\\r", "\\u0000", "{", "]", ":", ",",
    ]

    private mutating func string() {
        emit("\"")
        for _ in 0..<random.below(8) { emit(Self.stringPieces[random.below(Self.stringPieces.count)]) }
        emit("\"")
    }

    private mutating func number() {
        if random.below(3) == 0 { emit("-") }
        if random.below(4) == 0 {
            emit("0")
        } else {
            emit(String(1 + random.below(9)))
            for _ in 0..<random.below(6) { emit(String(random.below(10))) }
        }
        if random.below(2) == 0 {
            emit(".")
            for _ in 0...random.below(4) { emit(String(random.below(10))) }
        }
        if random.below(3) == 0 {
            emit(["e", "E"][random.below(2)] + ["", "+", "-"][random.below(3)])
            for _ in 0...random.below(2) { emit(String(random.below(10))) }  // Foundation refuses doubles that overflow
        }
    }

    private mutating func object(depth: Int) {
        emit("{")
        whitespace()
        let members = random.below(5)
        for i in 0..<members {
            if i > 0 {
                emit(",")
                whitespace()
            }
            string()
            whitespace()
            emit(":")
            whitespace()
            value(depth: depth + 1)
            whitespace()
        }
        emit("}")
    }

    private mutating func array(depth: Int) {
        emit("[")
        whitespace()
        let elements = random.below(5)
        for i in 0..<elements {
            if i > 0 {
                emit(",")
                whitespace()
            }
            value(depth: depth + 1)
            whitespace()
        }
        emit("]")
    }

    /// An object holding random members and, at a random position, `"properties": {... "user_id": V ...}`.
    private mutating func topLevelObject() {
        emit("{")
        let members = 1 + random.below(4)
        let planted = random.below(members)
        for i in 0..<members {
            if i > 0 { emit(",") }
            whitespace()
            if i == planted {
                emit(#""properties":{"before":"#)
                value(depth: 2)
                emit(#","user_id":"#)
                whitespace()
                let start = bytes.count
                scalar()
                let end = bytes.count
                whitespace()
                emit(#","after":"#)
                value(depth: 2)
                emit("}")
                expectedUserSlot = Self.slot(bytes, start..<end)
            } else {
                string()
                emit(":")
                value(depth: 1)
            }
        }
        emit("}")
    }

    private static func slot(_ bytes: [UInt8], _ range: Range<Int>) -> JSONValueSlot {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "\""):
            let body = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
            return JSONValueSlot(
                kind: body.contains(UInt8(ascii: "\\")) ? .escapedString : .string,
                start: range.lowerBound + 1, end: range.upperBound - 1)
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return JSONValueSlot(kind: .bool, start: range.lowerBound, end: range.upperBound)
        case UInt8(ascii: "n"): return JSONValueSlot(kind: .null, start: range.lowerBound, end: range.upperBound)
        default: return JSONValueSlot(kind: .number, start: range.lowerBound, end: range.upperBound)
        }
    }
}

/// Whether `bytes` is exactly one JSON number per RFC 8259.
func isJSONNumber<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    var i = bytes.startIndex
    func digit(_ at: C.Index) -> Bool { at < bytes.endIndex && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
    func digits() -> Bool {
        guard digit(i) else { return false }
        while digit(i) { i = bytes.index(after: i) }
        return true
    }
    if i < bytes.endIndex && bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
    if i < bytes.endIndex && bytes[i] == UInt8(ascii: "0") {
        i = bytes.index(after: i)
    } else if !digits() {
        return false
    }
    if i < bytes.endIndex && bytes[i] == UInt8(ascii: ".") {
        i = bytes.index(after: i)
        guard digits() else { return false }
    }
    if i < bytes.endIndex && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
        i = bytes.index(after: i)
        if i < bytes.endIndex && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i = bytes.index(after: i) }
        guard digits() else { return false }
    }
    return i == bytes.endIndex
}
