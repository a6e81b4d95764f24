/// A small, fast, deterministic pseudo-random generator (SplitMix64): the same seed gives
/// the same sequence on every platform. Its whole state is one word, so a snapshot can
/// save it and a later `init(seed: state)` continues the same sequence.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator state; `SplitMix64(seed: state)` resumes the sequence from here.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in (0, 1]: never zero, so `log` of it is finite.
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) &+ 1) * 0x1p-53
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
