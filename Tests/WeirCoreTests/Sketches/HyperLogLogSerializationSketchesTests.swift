import Testing
import WeirCore

/// The stored form of HyperLogLog: round trips, unions of stored sketches, pinned bytes,
/// and typed errors for invalid input.
struct HyperLogLogSerializationSketchesTests {
    static func sketch(precision: Int, elements: Range<Int>) -> HyperLogLog {
        var s = HyperLogLog(precision: precision)
        for i in elements { s.add(int64: Int64(i)) }
        return s
    }

    @Test(arguments: [10, 12, 14, 18])
    func roundTripsSparseAndDense(precision p: Int) throws {
        for n in [0, 1, 100, (1 << p) / 8, (1 << p) * 2] {
            let s = Self.sketch(precision: p, elements: 0..<n)
            let bytes = s.serialized()
            let decoded = try HyperLogLog(serialized: bytes)
            #expect(decoded == s, "p \(p) n \(n)")
            #expect(decoded.isSparse == (n <= (1 << p) / 8), "p \(p) n \(n)")
            #expect(decoded.cardinality == s.cardinality, "p \(p) n \(n)")
            #expect(decoded.serialized() == bytes, "p \(p) n \(n)")
            if !decoded.isSparse { #expect(bytes.count == 8 + 3 * (1 << p) / 4) }
        }
    }

    /// What the docs promise: decode two stored sketches, merge, encode, and the result is
    /// byte for byte the sketch of the union.
    @Test(arguments: [(0..<500, 300..<900), (0..<20_000, 10_000..<60_000), (0..<100, 50..<40_000)])
    func unionOfStoredSketchesIsTheSketchOfTheUnion(a: Range<Int>, b: Range<Int>) throws {
        let union = a.lowerBound..<b.upperBound
        let stored = try HyperLogLog.unionSerialized(Self.sketch(precision: 14, elements: a).serialized(),
                                                     Self.sketch(precision: 14, elements: b).serialized())
        #expect(stored == Self.sketch(precision: 14, elements: union).serialized())
        let mixed = try HyperLogLog.unionSerialized(Self.sketch(precision: 16, elements: a).serialized(),
                                                    Self.sketch(precision: 13, elements: b).serialized())
        #expect(mixed == Self.sketch(precision: 13, elements: union).serialized())
    }

    /// The format and the hash are frozen: these bytes were computed independently (Python,
    /// reference XXH64) from the layout in docs/hll-format.md.
    @Test func sparseEncodingIsPinned() throws {
        var s = HyperLogLog()
        for text in ["a", "b", "abc", "user-42", "a"] { s.add(text) }
        let expected: [UInt8] = [
            0x57, 0x48, 0x01, 0x01, 0x0E, 0x19, 0x01, 0x00, 0x04, 0x82, 0x9D, 0xFD, 0xE5, 0x01, 0xBF, 0x8F,
            0xFB, 0x2C, 0x81, 0xFE, 0x91, 0xCE, 0x01, 0xFF, 0x99, 0x93, 0xE8, 0x02,
        ]
        #expect(s.serialized() == expected)
        #expect(try HyperLogLog(serialized: expected).estimatedCount == 4)
    }

    static func code(_ bytes: [UInt8]) -> SketchDecodingError.Code? {
        do {
            _ = try HyperLogLog(serialized: bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func invalidBytesGiveTypedErrors() {
        let sparse = Self.sketch(precision: 12, elements: 0..<50).serialized()
        let dense = Self.sketch(precision: 10, elements: 0..<5_000).serialized()
        func with(_ bytes: [UInt8], _ at: Int, _ value: UInt8) -> [UInt8] {
            var b = bytes
            b[at] = value
            return b
        }
        #expect(Self.code([]) == .truncated)
        #expect(Self.code([0x57]) == .truncated)
        #expect(Self.code([0x00, 0x48, 1, 1, 14, 25, 1, 0, 0]) == .badMagic)
        #expect(Self.code(Array(sparse.prefix(6))) == .truncated)
        #expect(Self.code(with(sparse, 2, 2)) == .unsupportedVersion)
        #expect(Self.code(with(sparse, 3, 7)) == .unknownEncoding)
        #expect(Self.code(with(sparse, 4, 9)) == .unsupportedPrecision)
        #expect(Self.code(with(sparse, 4, 19)) == .unsupportedPrecision)
        #expect(Self.code(with(sparse, 5, 24)) == .unsupportedPrecision)
        #expect(Self.code(with(sparse, 6, 2)) == .unknownHashFunction)
        #expect(Self.code(with(sparse, 7, 1)) == .reservedByte)
        #expect(Self.code(sparse + [0]) == .trailingBytes)
        #expect(Self.code(Array(sparse.dropLast())) == .truncated)
        #expect(Self.code(Array(dense.dropLast())) == .truncated)
        #expect(Self.code(dense + [0]) == .trailingBytes)
        // Register 0 set to 63 > 65 - p.
        #expect(Self.code(with(dense, 8, dense[8] | 0x3F)) == .invalidRegister)
        // Header, count 2, entries 5 (index 0, rho 5) then delta 0: a repeated index.
        let header: [UInt8] = [0x57, 0x48, 1, 1, 14, 25, 1, 0]
        #expect(Self.code(header + [2, 5, 0]) == .invalidSparseEntry)
        // rho 0 and rho 41 are out of range.
        #expect(Self.code(header + [1, 64]) == .invalidSparseEntry)
        #expect(Self.code(header + [1, 41]) == .invalidSparseEntry)
        // A six-byte varint.
        #expect(Self.code(header + [1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x01]) == .invalidVarint)
        // A count larger than the bytes that follow.
        #expect(Self.code(header + [0xFF, 0xFF, 0x03, 1]) == .truncated)
        #expect(Self.code(header + [0]) == nil)
    }

    /// Random corruption never crashes the decoder: it throws a coded error or decodes a
    /// sketch that re-encodes to valid bytes.
    @Test func corruptedBytesNeverCrash() throws {
        let seed = TestSeed.value(default: 0x5EED_0305)
        var random = SplitMix64(seed: seed)
        let samples = [Self.sketch(precision: 11, elements: 0..<200).serialized(),
                       Self.sketch(precision: 10, elements: 0..<3_000).serialized()]
        for round in 0..<2_000 {
            var bytes = samples[round % 2]
            for _ in 0...random.below(4) {
                switch random.below(3) {
                case 0: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeLast(random.below(Swift.min(bytes.count, 8)))
                default: bytes.append(UInt8(truncatingIfNeeded: random.next()))
                }
                if bytes.isEmpty { break }
            }
            if let decoded = try? HyperLogLog(serialized: bytes) {
                #expect(try HyperLogLog(serialized: decoded.serialized()) == decoded, "round \(round), seed \(seed)")
            }
        }
    }
}
