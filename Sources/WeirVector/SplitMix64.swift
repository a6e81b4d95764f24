/// A small seeded random number generator (SplitMix64), so index builds are reproducible: the
/// same seed and the same insert order give the same levels and the same graph.
package struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator state; saved in snapshots so later inserts stay reproducible.
    package var state: UInt64

    /// A generator that starts at `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in (0, 1]: never zero, so `log` of it is finite.
    package mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) &+ 1) * 0x1p-53
    }
}
