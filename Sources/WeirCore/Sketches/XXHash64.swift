/// XXH64, the 64-bit xxHash digest, written from its public specification (Yann Collet,
/// "xxHash fast digest algorithm"): the stable hash behind ``HyperLogLog``.
///
/// Unlike `weirHashBytes`, whose output may change between versions, this function is
/// frozen: sketches stored in PostgreSQL are unioned with sketches built years later, on
/// other machines, so both must have hashed every element identically. The output equals
/// the reference XXH64 for the same bytes and seed on every platform (input words are
/// read little-endian), and it is pinned by test vectors.
///
/// - Complexity: O(n) in the input length; about one multiply per input byte / 8.
public enum XXHash64 {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inlinable
    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inlinable
    static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        rotl(acc &+ lane &* prime2, 31) &* prime1
    }

    @inlinable
    static func mergeRound(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* prime1 &+ prime4
    }

    @inlinable
    static func avalanche(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }

    /// The XXH64 digest of `bytes` with `seed`.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else {
            return avalanche(seed &+ prime5)
        }
        var i = 0
        var acc: UInt64
        if n >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while i + 32 <= n {
                v1 = round(v1, lane64(base, i))
                v2 = round(v2, lane64(base, i + 8))
                v3 = round(v3, lane64(base, i + 16))
                v4 = round(v4, lane64(base, i + 24))
                i += 32
            }
            acc = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            acc = mergeRound(acc, v1)
            acc = mergeRound(acc, v2)
            acc = mergeRound(acc, v3)
            acc = mergeRound(acc, v4)
        } else {
            acc = seed &+ prime5
        }
        acc &+= UInt64(truncatingIfNeeded: n)
        while i + 8 <= n {
            acc ^= round(0, lane64(base, i))
            acc = rotl(acc, 27) &* prime1 &+ prime4
            i += 8
        }
        if i + 4 <= n {
            let lane = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            acc ^= lane &* prime1
            acc = rotl(acc, 23) &* prime2 &+ prime3
            i += 4
        }
        while i < n {
            acc ^= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &* prime5
            acc = rotl(acc, 11) &* prime1
            i += 1
        }
        return avalanche(acc)
    }

    /// The XXH64 digest of the 8 little-endian bytes of `value`: equal to
    /// `hash(bytes)` over those bytes, without touching memory.
    @inlinable
    public static func hash(_ value: UInt64, seed: UInt64 = 0) -> UInt64 {
        var acc = seed &+ prime5 &+ 8
        acc ^= round(0, value)
        acc = rotl(acc, 27) &* prime1 &+ prime4
        return avalanche(acc)
    }

    /// The XXH64 digest of a byte array.
    @inlinable
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inlinable
    static func lane64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
