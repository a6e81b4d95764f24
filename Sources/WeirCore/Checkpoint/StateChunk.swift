/// One stored piece of a task's operator state: a full snapshot or a delta of the keys
/// dirtied since the previous chunk, with the input offset it covers.
///
/// ``encoded()`` writes a 52-byte header followed by the payload; every integer is
/// little-endian:
///
/// | bytes   | field                                                          |
/// |---------|----------------------------------------------------------------|
/// | 0..<4   | magic `WSC1` (`57 53 43 31`)                                   |
/// | 4..<6   | container version, `UInt16` = 1                                |
/// | 6       | kind, `UInt8`: 0 full, 1 delta                                 |
/// | 7       | reserved, 0                                                    |
/// | 8..<10  | state format, `UInt16` (the operator's own version)            |
/// | 10..<12 | reserved, 0                                                    |
/// | 12..<20 | sequence, `UInt64`                                             |
/// | 20..<28 | next offset, `Int64`                                           |
/// | 28..<36 | key count, `Int64`                                             |
/// | 36..<44 | payload length, `UInt64`                                       |
/// | 44..<52 | checksum, `UInt64`: `XXH64(payload, seed: XXH64(bytes 0..<44, seed: 0))` |
/// | 52...   | payload                                                        |
///
/// ``init(decoding:)`` checks, in this order: the magic (`badMagic`), the header length
/// (`truncated`), the container version (`unsupportedVersion`), the payload length against
/// the bytes there are (`truncated` / `trailingBytes`), the checksum (`checksumMismatch`),
/// then the kind (`unsupportedVersion`). A flipped bit anywhere is therefore caught: in
/// the magic, version or length fields by their own check, elsewhere by the checksum.
public struct StateChunk: Sendable, Equatable {
    /// Whether a chunk holds the whole state or only what changed since the previous one.
    public enum Kind: UInt8, Sendable {
        /// The whole state: a restore can start here.
        case full = 0
        /// The keys dirtied since the previous chunk, applied on top of it.
        case delta = 1
    }

    /// The first four bytes of every encoded chunk.
    public static let magic: [UInt8] = Array("WSC1".utf8)
    /// The container version ``encoded()`` writes and ``init(decoding:)`` accepts.
    public static let containerVersion: UInt16 = 1
    /// Bytes before the payload.
    public static let headerSize = 52

    /// Full snapshot or delta.
    public var kind: Kind
    /// The operator's own state format version (e.g. `ActiveUsers.stateFormatVersion`); a
    /// reader refuses versions it does not know.
    public var stateFormat: UInt16
    /// Increases by one per checkpoint of the task (1, 2, 3, ...).
    public var sequence: UInt64
    /// The next input offset to read after this state (exclusive end of what it covers).
    public var nextOffset: Int64
    /// Number of keys (users + days) in the payload, for logs/metrics.
    public var keyCount: Int
    /// Operator-defined bytes.
    public var payload: [UInt8]

    /// A chunk with its fields.
    public init(kind: Kind, stateFormat: UInt16, sequence: UInt64, nextOffset: Int64, keyCount: Int, payload: [UInt8]) {
        self.kind = kind
        self.stateFormat = stateFormat
        self.sequence = sequence
        self.nextOffset = nextOffset
        self.keyCount = keyCount
        self.payload = payload
    }

    /// The header (see the type's documentation) followed by the payload.
    ///
    /// - Complexity: O(payload length).
    public func encoded() -> [UInt8] {
        var writer = StateByteWriter(capacity: Self.headerSize + payload.count)
        writer.bytes.append(contentsOf: Self.magic)
        writer.append(Self.containerVersion)
        writer.append(kind.rawValue)
        writer.append(UInt8(0))
        writer.append(stateFormat)
        writer.append(UInt16(0))
        writer.append(sequence)
        writer.append(nextOffset)
        writer.append(Int64(keyCount))
        writer.append(UInt64(payload.count))
        writer.append(Self.checksum(header: writer.bytes, payload: payload))
        writer.bytes.append(contentsOf: payload)
        return writer.bytes
    }

    /// Parses and verifies an encoded chunk (see the type's documentation for the checks).
    ///
    /// - Throws: ``StateChunkError`` with code `truncated`, `badMagic`,
    ///   `unsupportedVersion`, `checksumMismatch` or `trailingBytes`.
    /// - Complexity: O(bytes).
    public init(decoding bytes: [UInt8]) throws(StateChunkError) {
        let magicBytes = min(bytes.count, 4)
        guard bytes[0..<magicBytes].elementsEqual(Self.magic[0..<magicBytes]) else {
            throw StateChunkError(.badMagic, "not a state chunk: starts with \(Self.hex(bytes.prefix(4))), expected 57534331 (\"WSC1\")")
        }
        guard bytes.count >= Self.headerSize else {
            throw StateChunkError(.truncated, "\(bytes.count) bytes, shorter than the \(Self.headerSize)-byte header")
        }
        let version = UInt16(truncatingIfNeeded: Self.load(bytes, 4, 2))
        guard version == Self.containerVersion else {
            throw StateChunkError(.unsupportedVersion, "container version \(version); this reader knows \(Self.containerVersion)")
        }
        let declared = Self.load(bytes, 36, 8)
        let present = UInt64(bytes.count - Self.headerSize)
        guard declared <= present else {
            throw StateChunkError(.truncated, "header declares a \(declared)-byte payload, \(present) bytes follow it")
        }
        guard declared == present else {
            throw StateChunkError(.trailingBytes, "\(present - declared) bytes after the declared \(declared)-byte payload")
        }
        let stored = Self.load(bytes, 44, 8)
        let computed = bytes.withUnsafeBytes { raw in
            XXHash64.hash(
                UnsafeRawBufferPointer(rebasing: raw[Self.headerSize...]),
                seed: XXHash64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<44])))
        }
        guard stored == computed else {
            throw StateChunkError(
                .checksumMismatch,
                "stored checksum \(Self.hex64(stored)), computed \(Self.hex64(computed)) over \(bytes.count - 8) bytes")
        }
        let kindByte = bytes[6]
        guard let kind = Kind(rawValue: kindByte), bytes[7] == 0, Self.load(bytes, 10, 2) == 0 else {
            throw StateChunkError(.unsupportedVersion, "unknown chunk kind \(kindByte) or reserved bits set")
        }
        self.kind = kind
        stateFormat = UInt16(truncatingIfNeeded: Self.load(bytes, 8, 2))
        sequence = Self.load(bytes, 12, 8)
        nextOffset = Int64(bitPattern: Self.load(bytes, 20, 8))
        keyCount = Int(Int64(bitPattern: Self.load(bytes, 28, 8)))
        payload = Array(bytes[Self.headerSize...])
    }

    /// `XXH64(payload, seed: XXH64(header[0..<44]))`.
    static func checksum(header: [UInt8], payload: [UInt8]) -> UInt64 {
        let headerHash = header.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<44])) }
        return XXHash64.hash(payload, seed: headerHash)
    }

    /// The little-endian unsigned integer of `width` bytes at `offset` (within bounds).
    private static func load(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        return value
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined()
    }

    private static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
