/// Appends snapshot fields as little-endian bytes; keys and partials are written by the
/// caller's encoders through it.
public struct WindowSnapshotWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Writes one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes 8 bytes, little-endian.
    public mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }

    /// Writes 8 bytes, little-endian.
    public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a length (8 bytes) and then the bytes.
    public mutating func write(lengthPrefixed data: some Collection<UInt8>) {
        write(Int64(data.count))
        bytes.append(contentsOf: data)
    }
}

/// Reads snapshot fields written by a ``WindowSnapshotWriter``; every read checks bounds.
public struct WindowSnapshotReader: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Whether every byte was read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads one byte.
    public mutating func readByte() throws(WindowSnapshotDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw WindowSnapshotDecodingError(.truncated, at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads 8 little-endian bytes.
    public mutating func readUInt64() throws(WindowSnapshotDecodingError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw WindowSnapshotDecodingError(.truncated, at: offset) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    /// Reads 8 little-endian bytes as a signed integer.
    public mutating func readInt64() throws(WindowSnapshotDecodingError) -> Int64 {
        Int64(bitPattern: try readUInt64())
    }

    /// Reads a length written by ``WindowSnapshotWriter/write(lengthPrefixed:)`` and that many bytes.
    public mutating func readLengthPrefixed() throws(WindowSnapshotDecodingError) -> ArraySlice<UInt8> {
        let at = offset
        let n = try readInt64()
        guard n >= 0 else { throw WindowSnapshotDecodingError(.invalidValue, at: at) }
        guard Int64(bytes.count - offset) >= n else { throw WindowSnapshotDecodingError(.truncated, at: offset) }
        defer { offset += Int(n) }
        return bytes[offset..<(offset + Int(n))]
    }

    /// An ``WindowSnapshotDecodingError/Code/invalidValue`` error at the current offset,
    /// for key and partial decoders that find a value they cannot accept.
    public func invalidValue() -> WindowSnapshotDecodingError { WindowSnapshotDecodingError(.invalidValue, at: offset) }
}
