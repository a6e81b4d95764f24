/// Appends fixed-width little-endian integers and raw bytes: the encoding of every state
/// payload and chunk header.
struct StateByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(bytes more: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: more) }

    /// Appends `values` as consecutive little-endian `Int64`s.
    mutating func append(int64s values: ArraySlice<Int64>) {
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for value in values { append(value) }
    }
}

/// Reads what ``StateByteWriter`` wrote, with a bounds check before every read: bad bytes
/// end in a `malformedPayload` error naming the offset and what was being read, never a
/// trap.
struct StateByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are there to read.
    func require(_ count: Int, for what: String) throws(StateChunkError) {
        guard count >= 0, count <= remaining else {
            throw StateChunkError(
                .malformedPayload, "payload ends at byte \(bytes.count), \(what) needs \(count) bytes from byte \(offset)")
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(StateChunkError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, for: what)
        var value: T = 0
        for i in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + i]) << T(truncatingIfNeeded: i * 8) }
        offset += size
        return value
    }

    /// The next `count` bytes (after ``require(_:for:)`` checked them) as a buffer.
    mutating func withBytes<R>(count: Int, _ what: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(StateChunkError) -> R {
        try require(count, for: what)
        let start = offset
        offset += count
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
    }

    /// Reads `count` little-endian `Int64`s into `target[from..<from + count]`.
    mutating func readInt64s(into target: inout [Int64], from start: Int, count: Int, _ what: String) throws(StateChunkError) {
        let (size, overflow) = count.multipliedReportingOverflow(by: 8)
        guard !overflow else { throw StateChunkError(.malformedPayload, "\(what): \(count) values is too many") }
        try require(size, for: what)
        guard start >= 0, start + count <= target.count else {
            throw StateChunkError(.malformedPayload, "\(what): \(count) values from index \(start) do not fit \(target.count)")
        }
        bytes.withUnsafeBytes { raw in
            target.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    out[start + i] = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + i * 8, as: Int64.self))
                }
            }
        }
        offset += size
    }

    /// Throws unless every byte was read.
    func requireEnd(_ what: String) throws(StateChunkError) {
        guard remaining == 0 else {
            throw StateChunkError(.malformedPayload, "\(remaining) unread bytes after \(what) at byte \(offset)")
        }
    }
}
