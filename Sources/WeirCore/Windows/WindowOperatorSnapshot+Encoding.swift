extension WindowOperatorSnapshot {
    /// The first bytes of every encoded window snapshot: "WWOS".
    public static var magic: [UInt8] { Array("WWOS".utf8) }
    /// The format version this build writes and reads.
    public static var formatVersion: UInt8 { 1 }

    /// The snapshot as bytes: magic, version, watermark, early-firing time, late count,
    /// pane count, then per pane start, end, a flag byte (dirty 1, fired on time 2,
    /// emitted 4), the key and the partial as the given encoders write them; last an
    /// XXH64 checksum of everything before it. Integers are 8-byte little-endian.
    ///
    /// - Complexity: O(panes) plus the encoders' cost.
    public func encoded(
        key encodeKey: (Key, inout WindowSnapshotWriter) -> Void,
        partial encodePartial: (Partial, inout WindowSnapshotWriter) -> Void
    ) -> [UInt8] {
        var w = WindowSnapshotWriter()
        for b in Self.magic { w.write(b) }
        w.write(Self.formatVersion)
        w.write(watermark)
        w.write(UInt8(nextEarlyFiring == nil ? 0 : 1))
        w.write(nextEarlyFiring ?? 0)
        w.write(Int64(lateRecordCount))
        w.write(Int64(panes.count))
        for pane in panes {
            w.write(pane.window.start)
            w.write(pane.window.end)
            w.write(UInt8((pane.isDirty ? 1 : 0) | (pane.hasFiredOnTime ? 2 : 0) | (pane.isEmitted ? 4 : 0)))
            encodeKey(pane.key, &w)
            encodePartial(pane.partial, &w)
        }
        w.write(XXHash64.hash(w.bytes))
        return w.bytes
    }

    /// Decodes bytes written by ``encoded(key:partial:)``, checking magic, version,
    /// checksum, flags and bounds.
    public init(
        decoding bytes: [UInt8],
        key decodeKey: (inout WindowSnapshotReader) throws(WindowSnapshotDecodingError) -> Key,
        partial decodePartial: (inout WindowSnapshotReader) throws(WindowSnapshotDecodingError) -> Partial
    ) throws(WindowSnapshotDecodingError) {
        guard bytes.count >= Self.magic.count + 1 + 8 else { throw WindowSnapshotDecodingError(.truncated, at: bytes.count) }
        guard bytes.starts(with: Self.magic) else { throw WindowSnapshotDecodingError(.badMagic, at: 0) }
        guard bytes[Self.magic.count] == Self.formatVersion else {
            throw WindowSnapshotDecodingError(.unsupportedVersion, at: Self.magic.count)
        }
        let bodyEnd = bytes.count - 8
        var trailer = WindowSnapshotReader(Array(bytes[bodyEnd...]))
        guard try trailer.readUInt64() == XXHash64.hash(Array(bytes[..<bodyEnd])) else {
            throw WindowSnapshotDecodingError(.checksumMismatch, at: bodyEnd)
        }
        var r = WindowSnapshotReader(Array(bytes[..<bodyEnd]))
        for _ in 0...Self.magic.count { _ = try r.readByte() }
        let watermark = try r.readInt64()
        let hasNext = try r.readByte()
        let next = try r.readInt64()
        guard hasNext <= 1 else { throw WindowSnapshotDecodingError(.invalidValue, at: r.offset - 9) }
        let lateAt = r.offset
        let late = try r.readInt64()
        guard late >= 0, let lateCount = Int(exactly: late) else { throw WindowSnapshotDecodingError(.invalidValue, at: lateAt) }
        let countAt = r.offset
        let count = try r.readInt64()
        guard count >= 0, count <= Int64(bodyEnd / 17) else { throw WindowSnapshotDecodingError(.invalidValue, at: countAt) }
        var panes: [Pane] = []
        panes.reserveCapacity(Int(count))
        for _ in 0..<count {
            let windowAt = r.offset
            let window = Window(start: try r.readInt64(), end: try r.readInt64())
            guard window.start < window.end else { throw WindowSnapshotDecodingError(.invalidValue, at: windowAt) }
            let flags = try r.readByte()
            guard flags < 8 else { throw WindowSnapshotDecodingError(.invalidValue, at: r.offset - 1) }
            let key = try decodeKey(&r)
            let partial = try decodePartial(&r)
            panes.append(Pane(window: window, key: key, partial: partial, isDirty: flags & 1 != 0,
                              hasFiredOnTime: flags & 2 != 0, isEmitted: flags & 4 != 0))
        }
        guard r.isAtEnd else { throw WindowSnapshotDecodingError(.trailingBytes, at: r.offset) }
        self.init(watermark: watermark, nextEarlyFiring: hasNext == 1 ? next : nil, lateRecordCount: lateCount, panes: panes)
    }
}
