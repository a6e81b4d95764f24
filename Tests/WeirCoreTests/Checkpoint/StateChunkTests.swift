import Testing
import WeirCore

/// ``StateChunk`` encodes and decodes losslessly, and every damage to its bytes — a
/// flipped bit, a cut, extra bytes — is refused with the code that names it.
struct StateChunkTests {
    static let sample = StateChunk(
        kind: .delta, stateFormat: 7, sequence: 0x0102_0304_0506_0708, nextOffset: -3, keyCount: 42,
        payload: Array("payload!\u{0}\u{1}".utf8))

    func decode(_ bytes: [UInt8]) -> Result<StateChunk, StateChunkError> {
        do throws(StateChunkError) {
            return .success(try StateChunk(decoding: bytes))
        } catch {
            return .failure(error)
        }
    }

    func code(_ bytes: [UInt8]) -> StateChunkError.Code? {
        if case .failure(let error) = decode(bytes) { return error.code }
        return nil
    }

    @Test func roundTripsEveryField() throws {
        let chunks = [
            Self.sample,
            StateChunk(kind: .full, stateFormat: 1, sequence: 1, nextOffset: 0, keyCount: 0, payload: []),
            StateChunk(kind: .full, stateFormat: .max, sequence: .max, nextOffset: .max, keyCount: .max, payload: Array(repeating: 0xFF, count: 1_000)),
        ]
        for chunk in chunks {
            let bytes = chunk.encoded()
            #expect(bytes.count == StateChunk.headerSize + chunk.payload.count)
            #expect(Array(bytes[0..<4]) == Array("WSC1".utf8))
            #expect(try StateChunk(decoding: bytes) == chunk)
        }
    }

    /// The header layout is part of the stored format: pin it.
    @Test func headerIsLittleEndianAtDocumentedOffsets() {
        let bytes = Self.sample.encoded()
        #expect(Array(bytes[4..<6]) == [1, 0])  // container version
        #expect(bytes[6] == 1)  // delta
        #expect(Array(bytes[8..<10]) == [7, 0])
        #expect(Array(bytes[12..<20]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(Array(bytes[20..<28]) == [0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(bytes[28..<36]) == [42, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[36..<44]) == [10, 0, 0, 0, 0, 0, 0, 0])
        let checksum = XXHash64.hash(Self.sample.payload, seed: XXHash64.hash(Array(bytes[0..<44])))
        #expect(bytes[44..<52].enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: checksum >> UInt64(8 * $0.offset)) })
    }

    /// Every single-bit flip is caught: by the magic, version and length checks in their
    /// own fields, by the checksum everywhere else.
    @Test func everySingleBitFlipIsDetected() {
        let good = Self.sample.encoded()
        for index in good.indices {
            for bit in 0..<8 {
                var bad = good
                bad[index] ^= 1 << UInt8(bit)
                let expected: StateChunkError.Code
                switch index {
                case 0..<4: expected = .badMagic
                case 4..<6: expected = .unsupportedVersion
                case 36..<44:
                    // The declared payload length: larger than what follows, or smaller.
                    expected = good[index] & (1 << UInt8(bit)) == 0 ? .truncated : .trailingBytes
                default: expected = .checksumMismatch
                }
                #expect(code(bad) == expected, "byte \(index) bit \(bit)")
            }
        }
    }

    @Test func everyTruncationIsDetected() {
        let good = Self.sample.encoded()
        for length in 0..<good.count {
            #expect(code(Array(good[0..<length])) == .truncated, "cut to \(length) bytes")
        }
    }

    @Test func trailingBytesAreDetected() {
        let good = Self.sample.encoded()
        for extra in 1...9 {
            #expect(code(good + Array(repeating: 0, count: extra)) == .trailingBytes, "\(extra) extra bytes")
        }
        #expect(code(good + good) == .trailingBytes)
    }

    @Test func otherFilesAreNotChunks() {
        #expect(code(Array("{\"not\": \"a chunk\"}".utf8)) == .badMagic)
        #expect(code([0x57, 0x53, 0x43, 0x32]) == .badMagic)
        #expect(code([]) == .truncated)
    }

    /// A kind byte no writer produces, with a checksum that matches it, is refused as an
    /// unknown version rather than read as something else.
    @Test func anUnknownKindWithAValidChecksumIsRefused() {
        var bytes = Self.sample.encoded()
        bytes[6] = 9
        let checksum = XXHash64.hash(Self.sample.payload, seed: XXHash64.hash(Array(bytes[0..<44])))
        for i in 0..<8 { bytes[44 + i] = UInt8(truncatingIfNeeded: checksum >> UInt64(8 * i)) }
        #expect(code(bytes) == .unsupportedVersion)
    }

    @Test func errorsDescribeThemselvesWithTheirCode() {
        var bytes = Self.sample.encoded()
        bytes[60] ^= 1
        guard case .failure(let error) = decode(bytes) else {
            Issue.record("a flipped payload bit decoded")
            return
        }
        #expect(error.description.hasPrefix("checksum_mismatch: "))
    }
}
