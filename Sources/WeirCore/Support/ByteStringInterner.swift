/// Maps distinct byte strings (user ids) to dense integer ids starting at 1, storing each
/// string once in a contiguous arena.
///
/// - Complexity: amortized O(length) per lookup; about 20 bytes of overhead per string.
public struct ByteStringInterner: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [UInt32] = [0]  // string `id` is arena[offsets[id - 1] ..< offsets[id]]
    private var hashes: [UInt64] = [0]  // hashes[id]; index 0 unused
    private var table: [UInt32]  // 0 = empty, else id
    private var mask: Int

    /// Number of distinct strings interned.
    public var count: Int { hashes.count - 1 }

    /// Bytes held by the arena and tables, for memory accounting.
    public var approximateBytes: Int {
        arena.capacity + offsets.capacity * 4 + hashes.capacity * 8 + table.capacity * 4
    }

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
        offsets.reserveCapacity(capacity + 1)
        hashes.reserveCapacity(capacity + 1)
    }

    /// The id of `bytes`, interning it when new.
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let n = bytes.count
        let h = bytes.baseAddress.map { weirHashBytes(UnsafeRawPointer($0), count: n) } ?? weirHashBytes(UnsafeRawPointer(bitPattern: 1)!, count: 0)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = table[slot]
            if id == 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = UInt32(hashes.count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        hashes.append(h)
        table[slot] = id
        if count * 2 > table.count { grow() }
        return id
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

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[id - 1])
        let end = Int(offsets[id])
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < bytes.count {
                if a[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        var newTable = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for id in 1..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & newMask
            while newTable[slot] != 0 { slot = (slot + 1) & newMask }
            newTable[slot] = UInt32(id)
        }
        table = newTable
        mask = newMask
    }
}
