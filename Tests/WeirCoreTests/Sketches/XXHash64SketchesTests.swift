import Testing
import WeirCore

/// ``XXHash64`` pinned to the reference XXH64 (values from the reference implementation).
struct XXHash64SketchesTests {
    static let vectors: [(String, seed: UInt64, UInt64)] = [
        ("", 0, 0xEF46_DB37_51D8_E999),
        ("a", 0, 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0, 0x44BC_2CF5_AD77_0999),
        ("user-42", 0, 0x397E_9D3A_76AF_7C81),
        ("12345678", 0, 0xD2D0_2F08_CF7C_FD4A),
        ("123456789abc", 0, 0xA5B5_C36F_9984_8384),
        ("0123456789abcdef0123456789abcdef!", 0, 0x8AFF_F4DA_AC4E_677E),
        ("", 1, 0xD5AF_BA13_36A3_BE4B),
        ("a", 1, 0xDEC2_BC81_C3CD_46C6),
        ("abc", 1, 0xBEA9_CA81_9932_8908),
        ("user-42", 1, 0x8CBD_5A85_D97D_4F4D),
        ("0123456789abcdef0123456789abcdef!", 1, 0x7249_4C09_3CF3_C86E),
    ]

    @Test func matchesReferenceVectors() {
        for (text, seed, expected) in Self.vectors {
            let h = XXHash64.hash(Array(text.utf8), seed: seed)
            #expect(h == expected, "XXH64(\"\(text)\", seed \(seed))")
        }
    }

    @Test func matchesReferenceOnHundredBytes() {
        // Bytes 0, 1, ..., 99: four 32-byte stripes, then 8-, 4- and 1-byte tails.
        let bytes = (0..<100).map { UInt8($0) }
        #expect(XXHash64.hash(bytes) == 0x6AC1_E580_3216_6597)
        #expect(XXHash64.hash(bytes, seed: 1) == 0x3D19_A3A2_098A_7023)
    }

    @Test func integerFastPathEqualsLittleEndianBytes() {
        let seed = TestSeed.value(default: 0x5EED_0101)
        var random = SplitMix64(seed: seed)
        for _ in 0..<1_000 {
            let v = random.next()
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
            #expect(XXHash64.hash(v) == XXHash64.hash(bytes), "value \(v), seed \(seed)")
        }
    }

    @Test func everyLengthUpTo64IsStableUnderOffsets() {
        // Unaligned reads: the same bytes at another address hash the same.
        let bytes = (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...64 {
            let a = XXHash64.hash(Array(bytes[0..<n]))
            let b = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[3..<(3 + n)])) }
            let c = XXHash64.hash(Array(bytes[3..<(3 + n)]))
            #expect(b == c, "length \(n)")
            if n > 0 { #expect(a != c, "length \(n)") }
        }
    }
}
