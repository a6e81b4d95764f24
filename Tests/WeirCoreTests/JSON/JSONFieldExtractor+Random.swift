import Foundation
import Testing
import WeirCore

/// Property tests over random valid documents and all of their truncations.
struct JSONFieldExtractorRandomTests {
    @Test func randomDocumentsAreAcceptedAndEveryTruncationIsRejected() {
        let seed = TestSeed.value(default: 0x5EED_0001)
        var random = SplitMix64(seed: seed)
        var extractor = JSONFieldExtractor(paths: [path("properties.user_id")])
        var planted = 0
        for n in 0..<400 {
            let document = RandomJSONDocument(random: &random)
            let bytes = document.bytes
            let text = String(decoding: bytes, as: UTF8.self)
            let context = "seed \(seed), document \(n): \(text.debugDescription)"

            // The generator itself must produce JSON that Foundation accepts.
            #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil, "generator bug: \(context)")

            guard extractor.scanning(bytes) == nil else {
                Issue.record("valid document rejected (\(extractor.scanning(bytes)!)): \(context)")
                continue
            }
            #expect(extractor.slots[0] == document.expectedUserSlot, "\(context)")
            if document.expectedUserSlot.kind != .missing { planted += 1 }

            for length in 0..<bytes.count {
                let prefix = bytes[..<length]
                let core = prefix.dropFirst(document.valueRange.lowerBound)
                // Skip prefixes that are valid JSON themselves: the whole value plus part of the
                // trailing white space, or a shorter number such as `12` of `123`.
                if length >= document.valueRange.upperBound { continue }
                if document.isNumber && isJSONNumber(core) { continue }
                if let error = extractor.scanning(Array(prefix)) {
                    #expect(error.offset <= length, "\(context), prefix \(length): \(error)")
                } else {
                    Issue.record("truncation to \(length) bytes accepted: \(context)")
                    break
                }
            }
        }
        #expect(planted > 50, "seed \(seed): the generator should plant properties.user_id often")
    }

    @Test func numberPrefixOracle() {
        for valid in ["0", "-0", "12", "1.5", "-1.25e+10", "0E7", "9e-1"] {
            #expect(isJSONNumber(Array(valid.utf8)), "\(valid)")
        }
        for invalid in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1a"] {
            #expect(!isJSONNumber(Array(invalid.utf8)), "\(invalid)")
        }
    }
}
