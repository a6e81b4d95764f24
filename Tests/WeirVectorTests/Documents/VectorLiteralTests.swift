import Testing
import WeirVector

/// pgvector's text form of vectors.
struct VectorLiteralTests {
    @Test func roundTripsExactly() {
        var rng = SplitMix64Local(seed: 3)
        for _ in 0..<200 {
            let v = (0..<17).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF) * (rng.next() % 2 == 0 ? 1 : -1) }
            #expect(VectorLiteral.parse(VectorLiteral.format(v)) == v)
        }
    }

    @Test(arguments: ["[]", "[1,]", "[1 2]", "1,2", "[nan]", "[inf]", "[1e99]", "[1]x", "[--1]", "[", ""])
    func refusesMalformed(text: String) {
        #expect(VectorLiteral.parse(text) == nil, "\(text)")
    }

    @Test func acceptsWhiteSpace() {
        #expect(VectorLiteral.parse(" [ 1 , -2.5e0,3 ] ") == [1, -2.5, 3])
    }
}

/// A local generator so this file needs nothing beyond WeirVector.
struct SplitMix64Local {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
