import Testing
import WeirCore

/// ``JSONString/unescape(_:into:)`` turns a validated string body into UTF-8.
struct JSONStringTests {
    /// Unescapes the body written between the quotes of a JSON string; `nil` when refused.
    func unescape(_ body: String, appendingTo prefix: [UInt8] = []) -> [UInt8]? {
        var out = prefix
        let ok = Array(body.utf8).withUnsafeBufferPointer { JSONString.unescape($0, into: &out) }
        return ok ? out : nil
    }

    @Test(arguments: [
        (#"a\nb"#, [0x61, 0x0A, 0x62] as [UInt8]),
        (#"\""#, [0x22]),
        (#"\\"#, [0x5C]),
        (#"\/"#, [0x2F]),
        (#"\b\f\r\t"#, [0x08, 0x0C, 0x0D, 0x09]),
        (#"\u0041"#, [0x41]),
        (#"\u00e9"#, [0xC3, 0xA9]),
        (#"\u00E9"#, [0xC3, 0xA9]),
        (#"\u20ac"#, [0xE2, 0x82, 0xAC]),
        (#"\ud83d\ude00"#, [0xF0, 0x9F, 0x98, 0x80]),
        (#"x\\\"y"#, [0x78, 0x5C, 0x22, 0x79]),
        ("plain é", Array("plain é".utf8)),
    ])
    func escapesDecodeToUTF8(body: String, expected: [UInt8]) {
        #expect(unescape(body) == expected)
    }

    @Test func decodedTextMatchesSwiftStrings() {
        #expect(unescape(#"caf\u00e9 \ud83d\ude00"#).map { String(decoding: $0, as: UTF8.self) } == "café 😀")
    }

    @Test func appendsToExistingOutput() {
        #expect(unescape(#"\n"#, appendingTo: [0x41]) == [0x41, 0x0A])
    }

    @Test(arguments: [#"\ud83d"#, #"\ude00"#, #"\ud83dx"#, #"\ud83d\u0041"#, #"\ud83d\ud83d"#, #"a\udfffb"#])
    func unpairedSurrogatesAreRefused(body: String) {
        #expect(unescape(body) == nil)
    }

    @Test func hexValue() {
        #expect(JSONString.hexValue(UInt8(ascii: "0")) == 0)
        #expect(JSONString.hexValue(UInt8(ascii: "9")) == 9)
        #expect(JSONString.hexValue(UInt8(ascii: "a")) == 10)
        #expect(JSONString.hexValue(UInt8(ascii: "F")) == 15)
        #expect(JSONString.hexValue(UInt8(ascii: "g")) == nil)
        #expect(JSONString.hexValue(UInt8(ascii: "/")) == nil)
    }
}
