#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The bytes of one 64-byte block of JSON text sorted into the classes the quote index
/// needs, one bit per byte (bit `i` is byte `i` of the block).
///
/// Computed with 16-byte vector compares and no branches. Every comparison names the
/// concrete `SIMD16<UInt8>` type: with an inferred type Swift 6.3 picks the generic
/// lane-by-lane `.==` and the block costs a byte loop.
struct JSONBlockClasses {
    /// `"`.
    var quotes: UInt64
    /// A backslash or a byte below 0x20: bytes whose documents the quote index leaves to
    /// the word-at-a-time string skip.
    var unusual: UInt64

    private typealias Bytes = SIMD16<UInt8>

    /// Classifies the 64 bytes at `block`, all of which must be readable.
    @inline(__always)
    init(_ block: UnsafeRawPointer) {
        let a = Self.classify(block)
        let b = Self.classify(block + 16)
        let c = Self.classify(block + 32)
        let d = Self.classify(block + 48)
        quotes = a.quotes | b.quotes &<< 16 | c.quotes &<< 32 | d.quotes &<< 48
        unusual = a.unusual | b.unusual &<< 16 | c.unusual &<< 32 | d.unusual &<< 48
    }

    @inline(__always)
    private static func classify(_ p: UnsafeRawPointer) -> (quotes: UInt64, unusual: UInt64) {
        let v = p.loadUnaligned(as: Bytes.self)
        let unusual = (v .== Bytes(repeating: 0x5C)) .| (v .< Bytes(repeating: 0x20))
        return (movemask(v .== Bytes(repeating: 0x22)), movemask(unusual))
    }

    /// The 16 bytes at `p` that end a string's contents, one bit each: a quote, a backslash or
    /// a byte below 0x20.
    @inline(__always)
    static func stringEnds16(_ p: UnsafeRawPointer) -> UInt64 {
        let v = p.loadUnaligned(as: Bytes.self)
        return movemask((v .== Bytes(repeating: 0x22)) .| (v .== Bytes(repeating: 0x5C)) .| (v .< Bytes(repeating: 0x20)))
    }

    /// One bit per lane of `mask`, lane 0 in bit 0.
    @inline(__always)
    private static func movemask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
        #if arch(x86_64)
        return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(mask, to: __m128i.self))))
        #else
        // Each lane is 0x00 or 0xFF: gather the high bits of eight lanes with one multiply.
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        let highs: UInt64 = 0x8080_8080_8080_8080
        let gather: UInt64 = 0x0002_0408_1020_4081
        let low = ((halves[0] & highs) &* gather) &>> 56
        let high = ((halves[1] & highs) &* gather) &>> 56
        return low | high &<< 8
        #endif
    }

    /// Bit `i` of the result is the XOR of bits 0 through `i` of `bits`: with quote bits,
    /// the bytes from an opening quote up to (not including) its closing quote.
    @inline(__always)
    static func prefixXOR(_ bits: UInt64) -> UInt64 {
        var x = bits
        x ^= x &<< 1
        x ^= x &<< 2
        x ^= x &<< 4
        x ^= x &<< 8
        x ^= x &<< 16
        x ^= x &<< 32
        return x
    }
}
