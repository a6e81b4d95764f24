/// An open-addressing set of non-zero 64-bit keys (zero marks an empty slot).
///
/// - Complexity: amortized O(1) insert and lookup; 16 bytes per key at the maximum load of 1/2.
public struct UInt64HashSet: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    /// Number of keys in the set.
    public private(set) var count = 0

    /// Bytes held by the table, for memory accounting.
    public var approximateBytes: Int { slots.capacity * 8 }

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Inserts `key` (which must not be zero); returns `true` when it was not present.
    @inlinable
    public mutating func insert(_ key: UInt64) -> Bool {
        precondition(key != 0, "zero is the empty marker")
        return insertUnchecked(key)
    }

    @usableFromInline
    internal mutating func insertUnchecked(_ key: UInt64) -> Bool {
        var slot = Int(truncatingIfNeeded: weirMix64(key)) & mask
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { s in
            while true {
                let v = s[slot]
                if v == key { return false }
                if v == 0 {
                    s[slot] = key
                    return true
                }
                slot = (slot + 1) & mask
            }
        }
        if inserted {
            count += 1
            if count * 2 > slots.count { grow() }
        }
        return inserted
    }

    /// Inserts a batch of non-zero keys; `inserted[i]` tells whether `keys[i]` was new, exactly
    /// as if each were inserted in turn. The home slots of all keys are read first, in one
    /// loop of independent loads, so their cache misses overlap.
    ///
    /// - Complexity: amortized O(1) per key.
    public mutating func insert(batch keys: UnsafeBufferPointer<UInt64>, inserted: UnsafeMutableBufferPointer<Bool>) {
        precondition(inserted.count >= keys.count, "inserted must hold one flag per key")
        let mask = self.mask
        slots.withUnsafeBufferPointer { s in
            for i in 0..<keys.count {
                let key = keys[i]
                precondition(key != 0, "zero is the empty marker")
                // Present at its home slot: settled (keys are never removed).
                inserted[i] = s[Int(truncatingIfNeeded: weirMix64(key)) & mask] != key
            }
        }
        for i in 0..<keys.count where inserted[i] { inserted[i] = insertUnchecked(keys[i]) }
    }

    /// Whether `key` is in the set.
    public func contains(_ key: UInt64) -> Bool {
        guard key != 0 else { return false }  // zero is the empty marker, never a member
        var slot = Int(truncatingIfNeeded: weirMix64(key)) & mask
        while true {
            let v = slots[slot]
            if v == key { return true }
            if v == 0 { return false }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for key in old where key != 0 {
            var slot = Int(truncatingIfNeeded: weirMix64(key)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = key
        }
    }
}
