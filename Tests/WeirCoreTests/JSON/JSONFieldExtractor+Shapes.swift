import Foundation
import Testing
import WeirCore

/// The shape cache and the quote index against the byte-at-a-time reference: a stream of
/// documents of one shape is accepted by shape, and every document that differs from a cached
/// shape in any byte outside its value strings, or holds a quote, backslash or control byte in
/// a value string, is still accepted or refused exactly as the reference does, with the same
/// slots or the same error.
struct JSONFieldExtractorShapeTests {
    static let paths = ["properties.user_id", "properties.timestamp", "event", "properties.context.page_url", "properties.traits.plan"].map { path($0) }

    /// A value string's contents: printable ASCII and some UTF-8, never a quote or backslash.
    static func value(_ random: inout SplitMix64) -> String {
        let alphabet = Array("abcXYZ019 _-:/.,{}[]é😀")
        return String((0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] })
    }

    /// One event of the generator's shape.
    static func event(_ random: inout SplitMix64) -> [UInt8] {
        let text = #"{"event":""# + value(&random) + #"","properties":{"user_id":""# + value(&random)
            + #"","timestamp":""# + value(&random) + #"","context":{"page_url":""# + value(&random)
            + #"","referrer":""# + value(&random) + #""},"traits":{"plan":""# + value(&random) + #""}}}"#
        return Array(text.utf8)
    }


    @Test func aStreamOfOneShapeIsMatchedByShapeWithTheReferenceSlots() {
        let seed = TestSeed.value(default: 0x5EED_5A9E)
        var random = SplitMix64(seed: seed)
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        for n in 0..<2000 { expectSameScan(Self.event(&random), &new, &old, "seed \(seed), document \(n)") }
        // The first document is walked and recorded; every later one has its shape.
        #expect(new.documentsMatchedByShape == 1999)
    }

    @Test func aFieldThatIsNotAStringKeepsEveryDocumentOnTheGrammarWalk() {
        var random = SplitMix64(seed: TestSeed.value(default: 0x5EED_5AA1))
        var new = JSONFieldExtractor(paths: Self.paths + [path("properties.traits")])
        var old = ReferenceJSONFieldExtractor(paths: Self.paths + [path("properties.traits")])
        for n in 0..<200 { expectSameScan(Self.event(&random), &new, &old, "document \(n)") }
        #expect(new.documentsMatchedByShape == 0)
    }

    @Test func documentsDifferingFromTheCachedShapeMatchTheReference() {
        let seed = TestSeed.value(default: 0x5EED_5A9F)
        var random = SplitMix64(seed: seed)
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        let nasty: [UInt8] = Array(#"{}[]:,"\ 0e-tfn"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0xC3]
        for n in 0..<1500 {
            let document = Self.event(&random)
            expectSameScan(document, &new, &old, "seed \(seed), document \(n)")
            var mutated = document
            for _ in 0...random.below(2) {
                let at = random.below(mutated.count + 1)
                let byte = nasty[random.below(nasty.count)]
                switch random.below(3) {
                case 0 where at < mutated.count: mutated[at] = byte
                case 1 where at < mutated.count: mutated.remove(at: at)
                default: mutated.insert(byte, at: at)
                }
            }
            expectSameScan(mutated, &new, &old, "seed \(seed), document \(n), mutated")
            let cut = random.below(document.count)
            expectSameScan(Array(document[..<cut]), &new, &old, "seed \(seed), document \(n), prefix \(cut)")
        }
    }

    @Test func shapesThatChangeEveryRecordStillMatchTheReference() {
        let seed = TestSeed.value(default: 0x5EED_5AA0)
        var random = SplitMix64(seed: seed)
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        for n in 0..<3000 {
            // A number that changes in every record, two alternating shapes, a field that is
            // sometimes an object, sometimes missing, and a repeated key.
            let user = "u\(random.below(50))"
            let text: String
            switch random.below(5) {
            case 0: text = #"{"event":"a","n":\#(random.below(1000)),"properties":{"user_id":"\#(user)"}}"#
            case 1: text = #"{"properties":{"timestamp":"t","user_id":"\#(user)"},"event":"b"}"#
            case 2: text = #"{"event":"c","properties":{"user_id":{"id":"\#(user)"},"context":{}}}"#
            case 3: text = #"{"properties":{"user_id":"\#(user)","user_id":"x\#(user)"}}"#
            default: text = #"{"event" : "d", "properties" : {"user_id" : "\#(user)", "context" : {"a":[1,"b"]}}}"#
            }
            expectSameScan(Array(text.utf8), &new, &old, "seed \(seed), document \(n)")
        }
    }

    @Test(arguments: [
        // Quotes and escapes near and across 64-byte block boundaries, and documents shorter than a block.
        String(repeating: " ", count: 60) + #"{"event":"ab","properties":{"user_id":"u"}}"#,
        #"{"event":""# + String(repeating: "x", count: 53) + #"","properties":{"user_id":"u"}}"#,
        #"{"event":""# + String(repeating: "x", count: 54) + #"","properties":{"user_id":"u"}}"#,
        #"{"event":""# + String(repeating: "x", count: 118) + #"","properties":{"user_id":"u\"v"}}"#,
        #"{"properties":{"user_id":"a"}}"#, #"{"properties":{"user_id":"a"}"#, #""x""#, #""""#, "\"",
        #"{"event":"a\tb","properties":{"user_id":"u"}}"#,
    ])
    func blockBoundariesMatchTheReference(text: String) {
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        let bytes = Array(text.utf8)
        // Twice: the second scan of each prefix may take the shape the first one recorded.
        for length in 0...bytes.count {
            expectSameScan(Array(bytes[..<length]), &new, &old, "prefix \(length)")
            expectSameScan(Array(bytes[..<length]), &new, &old, "prefix \(length), again")
        }
    }

    @Test func documentsEndingRightBeforeAnUnreadablePageAreReadInBounds() throws {
        // Each payload ends at the last byte of a readable page followed by a PROT_NONE one,
        // as a record at the very end of a mapped file would: a read past it crashes the test.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        let base = try #require(mapped == MAP_FAILED ? nil : mapped)
        defer { munmap(base, 2 * page) }
        #expect(mprotect(base + page, page, PROT_NONE) == 0)
        var random = SplitMix64(seed: TestSeed.value(default: 0x5EED_5AA2))
        var new = JSONFieldExtractor(paths: Self.paths)
        var old = ReferenceJSONFieldExtractor(paths: Self.paths)
        var documents: [[UInt8]] = (0..<300).map { _ in Self.event(&random) }
        documents += [#"{"event":"a\"b","properties":{"user_id":"u"}}"#, #"{"a":1}"#, #""x""#, "", " ", #"{"properties":{"user_id":"u"}} "#]
            .map { Array($0.utf8) }
        for (n, document) in documents.enumerated() {
            for length in Set([document.count, document.count - 1, document.count / 2, 15, 16, 17, 63, 64, 65]) where length >= 0 && length <= document.count {
                let bytes = Array(document[..<length])
                let at = (base + page - length).assumingMemoryBound(to: UInt8.self)
                bytes.withUnsafeBufferPointer { at.update(from: $0.baseAddress!, count: length) }
                let edge: JSONScanError?
                do {
                    try new.scan(UnsafeBufferPointer(start: at, count: length))
                    edge = nil
                } catch {
                    edge = error
                }
                let reference = old.scanning(bytes)
                #expect(edge == reference, "document \(n), length \(length)")
                if edge == nil && reference == nil { #expect(new.slots == old.slots, "document \(n), length \(length)") }
            }
        }
        #expect(new.documentsMatchedByShape > 250)
    }
}
