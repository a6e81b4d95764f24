import Testing
import WeirCore

/// Malformed payloads are refused with a stable ``JSONScanError/Code`` and the byte offset.
struct JSONFieldExtractorErrorTests {
    @Test(arguments: [
        // Truncated input and empty input.
        ("", JSONScanError.Code.unexpectedEnd, 0),
        ("  \n ", .unexpectedEnd, 4),
        (#"{"a":1"#, .unexpectedEnd, 6),
        (#"{"a":"#, .unexpectedEnd, 5),
        (#"{"a""#, .unexpectedEnd, 4),
        ("[1,2", .unexpectedEnd, 4),
        (#""abc"#, .unexpectedEnd, 4),
        (#""ab\"#, .unexpectedEnd, 3),
        // Trailing bytes.
        ("{} x", .trailingBytes, 3),
        ("1 2", .trailingBytes, 2),
        (#"{"a":1}}"#, .trailingBytes, 7),
        // Escapes and control characters.
        (#""a\x""#, .invalidEscape, 2),
        (#""\u12G4""#, .invalidEscape, 1),
        (#""\U00e9""#, .invalidEscape, 1),
        ("\"a\nb\"", .controlCharacter, 2),
        ("\"\t\"", .controlCharacter, 1),
        ("\"\u{0}\"", .controlCharacter, 1),
        // Numbers.
        ("1.", .invalidNumber, 0),
        ("-", .invalidNumber, 0),
        ("-x", .invalidNumber, 0),
        ("1e", .invalidNumber, 0),
        ("1e+", .invalidNumber, 0),
        ("[1.e5]", .invalidNumber, 1),
        ("+1", .unexpectedByte, 0),
        (".5", .unexpectedByte, 0),
        // A leading zero may not be followed by more digits.
        ("01", .invalidNumber, 0),
        ("[-01]", .invalidNumber, 1),
        // Literals.
        ("tru", .invalidLiteral, 0),
        ("[trux]", .invalidLiteral, 1),
        ("nul", .invalidLiteral, 0),
        ("False", .unexpectedByte, 0),
        // Structure.
        (#"{"a" 1}"#, .unexpectedByte, 5),
        (#"{"a":1 "b":2}"#, .unexpectedByte, 7),
        ("[1 2]", .unexpectedByte, 3),
        (#"{"a":1,}"#, .unexpectedByte, 7),
        ("[1,]", .unexpectedByte, 3),
        ("{1:2}", .unexpectedByte, 1),
        ("[1}", .unexpectedByte, 2),
        (#"{"a":1]"#, .unexpectedByte, 6),
        (#"{"a":1:2}"#, .unexpectedByte, 6),
        ("{'a':1}", .unexpectedByte, 1),
    ])
    func malformedInputIsRejected(text: String, code: JSONScanError.Code, offset: Int) {
        var extractor = JSONFieldExtractor(paths: [path("a")])
        #expect(extractor.scanning(text) == JSONScanError(code, at: offset), "input: \(text.debugDescription)")
    }

    @Test func nestingIsBoundedByMaxDepth() {
        var extractor = JSONFieldExtractor(paths: [], maxDepth: 3)
        #expect(extractor.scanning("[[[1]]]") == nil)
        #expect(extractor.scanning(#"{"a":[{"b":1}]}"#) == nil)
        #expect(extractor.scanning("[[[[1]]]]") == JSONScanError(.tooDeep, at: 3))
        #expect(extractor.scanning(#"{"a":[{"b":{}}]}"#) == JSONScanError(.tooDeep, at: 11))
    }

    @Test func defaultMaxDepthIs64() {
        var extractor = JSONFieldExtractor(paths: [path("a")])
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(extractor.scanning(ok) == nil)
        #expect(extractor.scanning(deep) == JSONScanError(.tooDeep, at: 64))
    }

    @Test func invalidUTF8InsideStringsIsPassedThrough() {
        // The scanner validates JSON syntax only; byte-level UTF-8 checks belong to the decoder.
        var extractor = JSONFieldExtractor(paths: [path("a")])
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(extractor.scanning(bytes) == nil)
        #expect(extractor.slots[0] == JSONValueSlot(kind: .string, start: 6, end: 8))
    }
}
