extension HyperLogLog {
    /// The first two bytes of every encoded sketch: "WH".
    public static let magic: (UInt8, UInt8) = (0x57, 0x48)
    /// The format version this build writes (and the only one it reads).
    public static let formatVersion: UInt8 = 1
    /// The hash-function id written in the header: 1 = XXH64 with seed 0.
    public static let hashFunctionID: UInt8 = 1

    static let sparseTag: UInt8 = 1
    static let denseTag: UInt8 = 2
    static let headerSize = 8

    /// The sketch in Weir's stable binary format (version 1), for storage as `bytea`.
    ///
    /// The byte layout, and how to union two stored sketches, are in `docs/hll-format.md`.
    /// Equal sketches encode to equal bytes.
    ///
    /// - Complexity: O(2^p) when dense (`3 * 2^(p-2)` payload bytes); O(s) when sparse
    ///   (about 2-4 bytes per entry).
    public func serialized() -> [UInt8] {
        let s = normalized()
        var out: [UInt8] = [
            HyperLogLog.magic.0, HyperLogLog.magic.1, HyperLogLog.formatVersion,
            s.isSparse ? HyperLogLog.sparseTag : HyperLogLog.denseTag,
            UInt8(s.precision), UInt8(HyperLogLog.sparsePrecision), HyperLogLog.hashFunctionID, 0,
        ]
        if s.isSparse {
            out.reserveCapacity(HyperLogLog.headerSize + 5 + 3 * s.sparse.count)
            appendVarint(UInt32(s.sparse.count), to: &out)
            var previous: UInt32 = 0
            for entry in s.sparse {
                appendVarint(entry - previous, to: &out)
                previous = entry
            }
        } else {
            out.reserveCapacity(HyperLogLog.headerSize + 3 * (s.registers.count / 4))
            var i = 0
            while i < s.registers.count {
                // Four 6-bit registers fill three bytes, low bits first.
                let v = UInt32(s.registers[i]) | UInt32(s.registers[i + 1]) << 6
                    | UInt32(s.registers[i + 2]) << 12 | UInt32(s.registers[i + 3]) << 18
                out.append(UInt8(truncatingIfNeeded: v))
                out.append(UInt8(truncatingIfNeeded: v >> 8))
                out.append(UInt8(truncatingIfNeeded: v >> 16))
                i += 4
            }
        }
        return out
    }

    /// Decodes a sketch written by ``serialized()``.
    ///
    /// - Throws: ``SketchDecodingError`` with a stable code when the bytes are not a
    ///   valid sketch of a supported version.
    /// - Complexity: O(n) in the encoded length (plus O(2^p) for a dense sketch).
    public init(serialized bytes: [UInt8]) throws(SketchDecodingError) {
        guard bytes.count >= 2 else { throw SketchDecodingError(.truncated, at: bytes.count) }
        guard bytes[0] == HyperLogLog.magic.0, bytes[1] == HyperLogLog.magic.1 else {
            throw SketchDecodingError(.badMagic, at: 0)
        }
        guard bytes.count >= HyperLogLog.headerSize else { throw SketchDecodingError(.truncated, at: bytes.count) }
        guard bytes[2] == HyperLogLog.formatVersion else { throw SketchDecodingError(.unsupportedVersion, at: 2) }
        let tag = bytes[3]
        guard tag == HyperLogLog.sparseTag || tag == HyperLogLog.denseTag else {
            throw SketchDecodingError(.unknownEncoding, at: 3)
        }
        let p = Int(bytes[4])
        guard HyperLogLog.precisionRange.contains(p) else { throw SketchDecodingError(.unsupportedPrecision, at: 4) }
        guard Int(bytes[5]) == HyperLogLog.sparsePrecision else { throw SketchDecodingError(.unsupportedPrecision, at: 5) }
        guard bytes[6] == HyperLogLog.hashFunctionID else { throw SketchDecodingError(.unknownHashFunction, at: 6) }
        guard bytes[7] == 0 else { throw SketchDecodingError(.reservedByte, at: 7) }

        self.init(precision: p)
        var offset = HyperLogLog.headerSize
        if tag == HyperLogLog.sparseTag {
            let count = try HyperLogLog.readVarint(bytes, &offset)
            // Every entry takes at least one byte: reject absurd counts before allocating.
            guard Int(count) <= bytes.count - offset else { throw SketchDecodingError(.truncated, at: bytes.count) }
            var entries: [UInt32] = []
            entries.reserveCapacity(Int(count))
            var previous: UInt64 = 0
            for _ in 0..<count {
                let at = offset
                let entry = try previous + UInt64(HyperLogLog.readVarint(bytes, &offset))
                let rho = entry & 63
                guard entry < 1 << 31, (1...40).contains(rho),
                      entries.isEmpty || entry >> 6 > previous >> 6
                else { throw SketchDecodingError(.invalidSparseEntry, at: at) }
                entries.append(UInt32(entry))
                previous = entry
            }
            sparse = entries
            if sparse.count > sparseLimit { convertToDense() }
        } else {
            let m = 1 << p
            let payload = 3 * (m / 4)
            guard bytes.count - offset >= payload else { throw SketchDecodingError(.truncated, at: bytes.count) }
            let maxRho = UInt8(65 - p)
            var r = [UInt8](repeating: 0, count: m)
            var i = 0
            while i < m {
                let v = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                for k in 0..<4 {
                    let value = UInt8(truncatingIfNeeded: (v >> (6 * UInt32(k))) & 63)
                    guard value <= maxRho else { throw SketchDecodingError(.invalidRegister, at: offset + (6 * k) / 8) }
                    r[i + k] = value
                }
                offset += 3
                i += 4
            }
            registers = r
        }
        guard offset == bytes.count else { throw SketchDecodingError(.trailingBytes, at: offset) }
    }

    /// The union of two encoded sketches, encoded: what a sketch that saw both inputs
    /// would hold (at the lower of the two precisions).
    ///
    /// - Throws: ``SketchDecodingError`` when either input is not a valid sketch.
    public static func unionSerialized(_ a: [UInt8], _ b: [UInt8]) throws(SketchDecodingError) -> [UInt8] {
        var sketch = try HyperLogLog(serialized: a)
        sketch.merge(try HyperLogLog(serialized: b))
        return sketch.serialized()
    }

    private func appendVarint(_ value: UInt32, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// An unsigned LEB128 integer of at most 5 bytes that fits in 32 bits.
    private static func readVarint(_ bytes: [UInt8], _ offset: inout Int) throws(SketchDecodingError) -> UInt32 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw SketchDecodingError(.truncated, at: offset) }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            guard shift < 35 else { throw SketchDecodingError(.invalidVarint, at: start) }
        }
        guard value <= UInt64(UInt32.max) else { throw SketchDecodingError(.invalidVarint, at: start) }
        return UInt32(value)
    }
}
