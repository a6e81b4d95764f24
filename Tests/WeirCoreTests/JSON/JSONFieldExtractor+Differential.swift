import Testing
import WeirCore

/// The word-at-a-time scanner against the byte-at-a-time one it replaced
/// (``ReferenceJSONFieldExtractor``): on random documents, their mutations and truncations,
/// both must accept the same inputs, fail with the same code at the same offset, and fill
/// the same slots.
struct JSONFieldExtractorDifferentialTests {
    static let paths = [
        "properties.user_id", "properties.timestamp", "a", "abcdefgh", "abcdefghi", "user_id",
        "properties", "p.q.r", "a\\u0062", "properties.user_id.x",
    ].map { path($0) }

    /// Bytes that tend to break scanners: structure, escapes, controls, non-ASCII, digits.
    static let nasty: [UInt8] = Array(#"{}[]:,"\\/u0aAeE.-+ tfn"#.utf8) + [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]


    @Test func randomDocumentsMutationsAndTruncationsMatchTheReference() {
        let seed = TestSeed.value(default: 0x5EED_0D1F)
        var random = SplitMix64(seed: seed)
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        for n in 0..<1500 {
            let document = RandomJSONDocument(random: &random).bytes
            expectSameScan(document, &new, &old, "seed \(seed), document \(n)")
            for m in 0..<8 {
                var mutated = document
                for _ in 0...random.below(3) {
                    let at = random.below(mutated.count + 1)
                    let byte = Self.nasty[random.below(Self.nasty.count)]
                    switch random.below(3) {
                    case 0 where at < mutated.count: mutated[at] = byte
                    case 1 where at < mutated.count: mutated.remove(at: at)
                    default: mutated.insert(byte, at: at)
                    }
                }
                expectSameScan(mutated, &new, &old, "seed \(seed), document \(n), mutation \(m)")
            }
            if n % 10 == 0 {
                for length in 0..<document.count { expectSameScan(Array(document[..<length]), &new, &old, "seed \(seed), document \(n), prefix \(length)") }
            }
        }
    }

    @Test(arguments: [
        #"{"a":"x\"y","abcdefgh":1,"abcdefghi":[1],"abcdefghj":2}"#,
        #"{"abcdefgh":"12345678","abcdefghi":"123456789abcdefgh\u00e9"}"#,
        #"{"a\u0062":true,"a\\u0062":false,"ab":null}"#,
        #"{"properties":{"user_id":"u\\1","timestamp":"2024-01-01T00:00:00Z"},"user_id":7}"#,
        #"{"properties":{"user_id":{"x":"deep"}},"p":{"q":{"r":-0.5e+3}}}"#,
        #"{"properties":{"user_id":"first","user_id":"second"},"properties":{"timestamp":1}}"#,
        "{\"a\":\"caf\u{E9} \u{1F600} \u{7F}\"}",
        #"  {"a" : "x" , "abcdefgh" : { } , "abcdefghi" : [ ] }  "#,
        #""\u12""#, #""\"#, #""\u""#, #""\u123"#, #"{"abcdefgh""#, #"{"abcdefg"#, #"{"abcdefghij"#,
    ])
    func edgeCasesMatchTheReference(text: String) {
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        let bytes = Array(text.utf8)
        expectSameScan(bytes, &new, &old, "edge case")
        for length in 0..<bytes.count { expectSameScan(Array(bytes[..<length]), &new, &old, "edge case prefix \(length)") }
    }

    @Test func extractorWithoutPathsMatchesTheReference() {
        var new = JSONFieldExtractor(paths: [])
        var old = ReferenceJSONFieldExtractor(paths: [])
        for text in [#"{"a":[1,{"b":"c\n"}]}"#, #"{"a":[1,{"b":"c\\n"}]}"#, "[]", "  ", "nul", "\"x\""] {
            expectSameScan(Array(text.utf8), &new, &old, "no paths")
        }
    }
}

/// Scans `bytes` with both extractors and expects the same outcome: the same error (code
/// and offset), or success with the same slots.
func expectSameScan(
    _ bytes: [UInt8], _ new: inout JSONFieldExtractor, _ old: inout ReferenceJSONFieldExtractor, _ context: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let a = new.scanning(bytes)
    let b = old.scanning(bytes)
    #expect(a == b, "\(context()): \(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
    if a == nil && b == nil {
        #expect(new.slots == old.slots, "\(context()): \(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
    }
}

extension ReferenceJSONFieldExtractor {
    /// Scans `bytes` and returns the error instead of throwing it.
    mutating func scanning(_ bytes: [UInt8]) -> JSONScanError? {
        bytes.withUnsafeBufferPointer { (buffer) -> JSONScanError? in
            do throws(JSONScanError) {
                try scan(buffer)
                return nil
            } catch {
                return error
            }
        }
    }
}
