/// A fast, seedless 64-bit hash for short byte strings such as user ids.
///
/// Not cryptographic and not stable across versions; used only for in-memory tables.
@inlinable
public func weirHashBytes(_ p: UnsafeRawPointer, count n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    var i = 0
    while i + 8 <= n {
        let v = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        i += 8
    }
    if i < n {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            v |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ v) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
    }
    h ^= h >> 32
    h &*= 0xD6E8_FEB8_6659_FD93
    h ^= h >> 32
    return h
}

/// Mixes a 64-bit integer key into a well-spread hash.
@inlinable
public func weirMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
