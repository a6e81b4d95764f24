/// Appends little-endian fields to a growing byte array.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            u32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends `count` 4-byte values (Float or Int32) in little-endian order.
    mutating func words<T: BitwiseCopyable>(_ pointer: UnsafePointer<T>, count: Int) {
        precondition(MemoryLayout<T>.size == 4)
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: count * 4))
        #else
        let raw = UnsafeRawPointer(pointer)
        for i in 0..<count { u32(raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
        #endif
    }

    /// Appends `count` raw bytes.
    mutating func rawBytes(_ pointer: UnsafePointer<UInt8>, count: Int) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
    }

    /// Overwrites 8 bytes at `offset` with `value`, little-endian.
    mutating func patchU64(_ value: UInt64, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { source in
            for i in 0..<8 { bytes[offset + i] = source[i] }
        }
    }
}

/// Reads little-endian fields from a byte buffer; running out of bytes throws `snapshotCorrupt`
/// with the offset (the checksum matched, so the declared contents are inconsistent).
struct SnapshotReader {
    let base: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ base: UnsafeRawBufferPointer, offset: Int) {
        self.base = base
        self.offset = offset
    }

    var remaining: Int { base.count - offset }

    func corrupt(_ message: String) -> VectorError {
        VectorError(.snapshotCorrupt, message, offset: offset)
    }

    private mutating func take(_ count: Int, _ what: String) throws(VectorError) -> Int {
        guard count >= 0, count <= remaining else {
            throw VectorError(.snapshotCorrupt, "snapshot ends inside \(what)", expected: count, actual: remaining, offset: offset)
        }
        let start = offset
        offset += count
        return start
    }

    mutating func u8(_ what: String) throws(VectorError) -> UInt8 { base[try take(1, what)] }
    mutating func u32(_ what: String) throws(VectorError) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try take(4, what), as: UInt32.self))
    }
    mutating func i32(_ what: String) throws(VectorError) -> Int32 { Int32(bitPattern: try u32(what)) }
    mutating func u64(_ what: String) throws(VectorError) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: try take(8, what), as: UInt64.self))
    }
    mutating func i64(_ what: String) throws(VectorError) -> Int64 { Int64(bitPattern: try u64(what)) }

    mutating func string(_ what: String) throws(VectorError) -> String {
        let count = Int(try u32(what))
        let start = try take(count, what)
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[start..<(start + count)]), as: UTF8.self)
    }

    /// Copies `count` 4-byte little-endian values into `pointer`.
    mutating func words<T: BitwiseCopyable>(into pointer: UnsafeMutablePointer<T>, count: Int, _ what: String) throws(VectorError) {
        precondition(MemoryLayout<T>.size == 4)
        guard count <= Int.max / 4 else { throw corrupt("\(what): impossible length") }
        let start = try take(count * 4, what)
        guard count > 0 else { return }
        #if _endian(little)
        UnsafeMutableRawPointer(pointer).copyMemory(from: base.baseAddress! + start, byteCount: count * 4)
        #else
        let raw = UnsafeMutableRawPointer(pointer)
        for i in 0..<count {
            let word = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: start + i * 4, as: UInt32.self))
            raw.storeBytes(of: word, toByteOffset: i * 4, as: UInt32.self)
        }
        #endif
    }

    /// Copies `count` bytes into `pointer`.
    mutating func bytes(into pointer: UnsafeMutablePointer<UInt8>, count: Int, _ what: String) throws(VectorError) {
        let start = try take(count, what)
        guard count > 0 else { return }
        UnsafeMutableRawPointer(pointer).copyMemory(from: base.baseAddress! + start, byteCount: count)
    }
}
