import Testing
import WeirCore

/// Dense ids for byte strings, stable across table growth.
struct ByteStringInternerTests {
    func intern(_ interner: inout ByteStringInterner, _ text: String) -> UInt32 {
        Array(text.utf8).withUnsafeBufferPointer { interner.intern($0) }
    }

    @Test func idsAreDenseFromOneAndStableAcrossGrowth() {
        var interner = ByteStringInterner(capacity: 1)
        var firstMismatch: String?
        for i in 0..<100_000 where firstMismatch == nil {
            let id = intern(&interner, "user-\(i)")
            if id != UInt32(i + 1) { firstMismatch = "user-\(i) got id \(id)" }
        }
        #expect(firstMismatch == nil)
        #expect(interner.count == 100_000)
        for i in 0..<100_000 where firstMismatch == nil {
            let id = UInt32(i + 1)
            if intern(&interner, "user-\(i)") != id { firstMismatch = "user-\(i) re-interned to a new id" }
            if interner.string(of: id) != "user-\(i)" { firstMismatch = "id \(id) reads back \(interner.string(of: id))" }
        }
        #expect(firstMismatch == nil)
        #expect(interner.count == 100_000)
    }

    @Test func sameBytesSameIdAndDistinctBytesDistinctIds() {
        var interner = ByteStringInterner()
        let texts = ["", "\u{0}", "\u{0}\u{0}", "a", "ab", "ba", "abcdefgh", "abcdefgh\u{0}", "abcdefghi", "é", "😀"]
        let ids = texts.map { intern(&interner, $0) }
        #expect(ids == Array(1...UInt32(texts.count)))
        #expect(texts.map { intern(&interner, $0) } == ids)
        for (text, id) in zip(texts, ids) {
            #expect(interner.string(of: id) == text)
            #expect(interner.withBytes(of: id) { Array($0) } == Array(text.utf8))
        }
    }

    @Test func approximateBytesGrowsWithContent() {
        var interner = ByteStringInterner(capacity: 16)
        let before = interner.approximateBytes
        for i in 0..<10_000 { _ = intern(&interner, "some-longer-user-id-\(i)") }
        #expect(interner.approximateBytes > before + 200_000)
    }
}
