/// Maps distinct byte strings (user ids) to dense integer ids starting at 1, storing each
/// string once in a contiguous arena.
///
/// The hash table holds `tag << 32 | id` per string, where `tag` is the high half of the
/// string's 64-bit hash and also picks its home slot. A lookup therefore reads the arena
/// only when the tags match — almost always the right string — and growing the table needs
/// no stored hashes. The table is at most 3/4 full.
///
/// - Complexity: amortized O(length) per lookup; per string, its bytes plus a 4-byte offset
///   plus 10.7–21.3 bytes of table, and up to 1/2 of slack in the arena and offsets.
public struct ByteStringInterner: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [UInt32] = [0]  // string `id` is arena[offsets[id - 1] ..< offsets[id]]
    private var table: [UInt64]  // 0 = empty, else tag << 32 | id
    private var mask: Int

    /// Number of distinct strings interned.
    public var count: Int { offsets.count - 1 }

    /// Bytes held by the arena and tables, for memory accounting.
    public var approximateBytes: Int {
        arena.capacity + offsets.capacity * 4 + table.capacity * 8
    }

    public init(capacity: Int = 1024) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
        offsets.reserveCapacity(capacity + 1)
    }

    /// The id of `bytes`, interning it when new.
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let n = bytes.count
        let key = UnsafeRawPointer(bytes.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
        let tag = weirHashBytes(key, count: n) >> 32
        var slot = Int(truncatingIfNeeded: tag) & mask
        let found: UInt32 = table.withUnsafeBufferPointer { t in
            arena.withUnsafeBufferPointer { a in
                offsets.withUnsafeBufferPointer { o in
                    while true {
                        let entry = t[slot]
                        if entry == 0 { return 0 }
                        if entry >> 32 == tag {
                            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                            let start = Int(o[id - 1])
                            if Int(o[id]) - start == n
                                && Self.equal((a.baseAddress.map { UnsafeRawPointer($0) } ?? key) + start, key, count: n)
                            {
                                return UInt32(truncatingIfNeeded: id)
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if found != 0 { return found }

        let id = UInt32(offsets.count)
        if arena.count + n > arena.capacity {
            // Grow by half rather than doubling: the arena is most of the memory per string.
            arena.reserveCapacity(max(arena.count + n, arena.capacity + arena.capacity / 2, 1024))
        }
        if offsets.count == offsets.capacity { offsets.reserveCapacity(offsets.count + offsets.count / 2 + 16) }
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        table[slot] = tag << 32 | UInt64(id)
        if count * 4 > table.count * 3 { grow() }
        return id
    }

    /// Interns a batch: `ids[i]` becomes the id of `keys[i]`, exactly as if each key were
    /// interned in turn.
    ///
    /// It works in passes — hash every key; read every home slot; read every candidate's
    /// offsets; compare every candidate's bytes — each a loop of loads that do not depend on
    /// one another, so the cache misses of a batch overlap instead of following one after
    /// the other. Keys it cannot settle that way (new ones, or displaced far from their home
    /// slot) are interned one by one, in order.
    ///
    /// - Complexity: amortized O(total length).
    public mutating func intern(batch keys: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, ids: UnsafeMutableBufferPointer<UInt32>) {
        precondition(ids.count >= keys.count, "ids must hold one id per key")
        let n = keys.count
        let mask = self.mask
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { tags in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { entries in
                for i in 0..<n {
                    let key = keys[i]
                    tags[i] = weirHashBytes(UnsafeRawPointer(key.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!, count: key.count) >> 32
                }
                table.withUnsafeBufferPointer { t in
                    for i in 0..<n { entries[i] = t[Int(truncatingIfNeeded: tags[i]) & mask] }
                    for i in 0..<n {
                        let tag = tags[i]
                        var entry = entries[i]
                        var slot = Int(truncatingIfNeeded: tag) & mask
                        var candidate: UInt32 = 0
                        for _ in 0..<4 {
                            if entry == 0 { break }
                            if entry >> 32 == tag {
                                candidate = UInt32(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                                break
                            }
                            slot = (slot + 1) & mask
                            entry = t[slot]
                        }
                        ids[i] = candidate
                    }
                }
            }
        }
        arena.withUnsafeBufferPointer { a in
            offsets.withUnsafeBufferPointer { o in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { spans in
                    for i in 0..<n {
                        let id = Int(ids[i])
                        spans[i] = id == 0 ? 0 : UInt64(o[id - 1]) << 32 | UInt64(o[id])
                    }
                    for i in 0..<n where ids[i] != 0 {
                        let start = Int(truncatingIfNeeded: spans[i] >> 32)
                        let end = Int(truncatingIfNeeded: spans[i] & 0xFFFF_FFFF)
                        let key = keys[i]
                        let keyBytes = UnsafeRawPointer(key.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
                        if end - start != key.count
                            || !Self.equal((a.baseAddress.map { UnsafeRawPointer($0) } ?? keyBytes) + start, keyBytes, count: key.count)
                        {
                            ids[i] = 0
                        }
                    }
                }
            }
        }
        for i in 0..<n where ids[i] == 0 { ids[i] = intern(keys[i]) }
    }

    /// Calls `body` with the bytes of an interned id.
    public func withBytes<R>(of id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = Int(offsets[Int(id) - 1])
        let end = Int(offsets[Int(id)])
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The bytes of an interned id as a string (for tests and output, not hot paths).
    public func string(of id: UInt32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `count` bytes at `a` and `b` are equal, compared a word at a time. Keys of 4 to
    /// 16 bytes, the usual user ids, take two overlapping loads per side and no loop, so the
    /// branches do not depend on the exact length.
    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
        if n >= 8 && n <= 16 {
            let first = a.loadUnaligned(as: UInt64.self) ^ b.loadUnaligned(as: UInt64.self)
            let last = a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            return first | last == 0
        }
        if n >= 4 && n < 8 {
            let first = a.loadUnaligned(as: UInt32.self) ^ b.loadUnaligned(as: UInt32.self)
            let last = a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) ^ b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            return first | last == 0
        }
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    private mutating func grow() {
        let size = table.count * 2
        var newTable = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for entry in table where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & newMask
            while newTable[slot] != 0 { slot = (slot + 1) & newMask }
            newTable[slot] = entry
        }
        table = newTable
        mask = newMask
    }
}
