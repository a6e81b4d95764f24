/// The snapshot framing, version 1: a 32-byte header, then the payload of `HNSWGraph.encode`.
///
/// ```
/// offset  size  field
///      0     8  magic "WEIRHNSW"
///      8     4  format version (UInt32 LE) = 1
///     12     4  flags (UInt32 LE) = 0
///     16     8  payload length in bytes (UInt64 LE)
///     24     8  FNV-1a 64 checksum of the payload (UInt64 LE)
///     32     -  payload
/// ```
enum HNSWSnapshotFormat {
    static let magic: [UInt8] = Array("WEIRHNSW".utf8)
    static let version: UInt32 = 1
    static let headerSize = 32

    /// The full snapshot image of `graph`.
    ///
    /// - Complexity: O(n * (d + m0) + metadata size).
    static func encode(_ graph: HNSWGraph, configuration: HNSWConfiguration) -> [UInt8] {
        let estimate = headerSize + graph.slotCount * (4 * (graph.dimension + 1 + graph.m0) + 32)
            + graph.upperCount * 4
        var w = SnapshotWriter(reservingCapacity: estimate)
        for byte in magic { w.u8(byte) }
        w.u32(version)
        w.u32(0)
        w.u64(0)
        w.u64(0)
        graph.encode(into: &w, configuration: configuration)
        var bytes = w.bytes
        let payloadLength = bytes.count - headerSize
        let checksum = bytes.withUnsafeBytes { FNV1a64.hash(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        withUnsafeBytes(of: UInt64(payloadLength).littleEndian) { for i in 0..<8 { bytes[16 + i] = $0[i] } }
        withUnsafeBytes(of: checksum.littleEndian) { for i in 0..<8 { bytes[24 + i] = $0[i] } }
        return bytes
    }

    /// Checks the header and checksum, then decodes the payload.
    static func decode(_ bytes: [UInt8]) throws(VectorError) -> (HNSWConfiguration, HNSWGraph) {
        let result: Result<(HNSWConfiguration, HNSWGraph), VectorError> = bytes.withUnsafeBytes { raw in
            do throws(VectorError) {
                return .success(try decodeImage(raw))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decodeImage(_ raw: UnsafeRawBufferPointer) throws(VectorError) -> (HNSWConfiguration, HNSWGraph) {
        guard raw.count >= headerSize else {
            if raw.count >= magic.count && !raw.prefix(magic.count).elementsEqual(magic) {
                throw VectorError(.snapshotCorrupt, "not an HNSW snapshot (bad magic)", offset: 0)
            }
            throw VectorError(
                .snapshotTruncated, "snapshot shorter than its header", expected: headerSize, actual: raw.count)
        }
        guard raw.prefix(magic.count).elementsEqual(magic) else {
            throw VectorError(.snapshotCorrupt, "not an HNSW snapshot (bad magic)", offset: 0)
        }
        var header = SnapshotReader(raw, offset: magic.count)
        let version = try header.u32("version")
        guard version == Self.version else {
            throw VectorError(
                .snapshotUnsupportedVersion, "snapshot format version \(version) is not supported",
                expected: Int(Self.version), actual: Int(version), offset: 8)
        }
        let flags = try header.u32("flags")
        guard flags == 0 else { throw VectorError(.snapshotCorrupt, "unknown snapshot flags \(flags)", offset: 12) }
        let declared = try header.u64("payload length")
        let checksum = try header.u64("checksum")
        let available = raw.count - headerSize
        guard declared <= UInt64(available) else {
            throw VectorError(
                .snapshotTruncated, "snapshot ends before its payload does",
                expected: declared <= UInt64(Int.max - headerSize) ? Int(declared) + headerSize : nil, actual: raw.count)
        }
        guard declared == UInt64(available) else {
            throw VectorError(
                .snapshotCorrupt, "snapshot has bytes after its payload",
                expected: Int(declared) + headerSize, actual: raw.count)
        }
        let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
        let actual = FNV1a64.hash(payload)
        guard actual == checksum else {
            throw VectorError(.snapshotChecksumMismatch, "snapshot payload does not match its checksum", offset: 24)
        }
        var reader = SnapshotReader(raw, offset: headerSize)
        return try HNSWGraph.decode(&reader)
    }
}
