/// The requested paths of a ``JSONFieldExtractor`` as ``JSONScanner`` (either string skipper)
/// and ``JSONShapeCache`` consult them during one scan: the key patterns per depth and the slots that receive the values.
struct JSONPathTable {
    /// `patterns[depth * stride + path]`, see ``JSONFieldExtractor``.
    let patterns: UnsafePointer<JSONKeyPattern>?
    let stride: Int
    /// The bytes the patterns point into, for keys longer than 16 bytes.
    let keyBytes: UnsafePointer<UInt8>?
    let slots: UnsafeMutablePointer<JSONValueSlot>?

    /// The subset of `mask` whose key at `depth` is the `length` bytes at `key`; `head` is
    /// their first `min(length, 8)` bytes as a little-endian word, zero padded. Keys of 9 to
    /// 16 bytes are compared by one (overlapping) load of their last eight bytes.
    @inline(__always)
    func match(_ key: UnsafePointer<UInt8>, length: Int, head: UInt64, depth: Int, mask: UInt64) -> UInt64 {
        guard let patterns else { return 0 }
        var result: UInt64 = 0
        var remaining = mask
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            let pattern = patterns[depth &* stride &+ i]
            guard pattern.length == length, pattern.head == head else { continue }
            if length > 8 {
                if length <= 16 {
                    let tail = UInt64(littleEndian: UnsafeRawPointer(key + length - 8).loadUnaligned(as: UInt64.self))
                    guard tail == pattern.tail else { continue }
                } else {
                    let wanted = keyBytes.unsafelyUnwrapped + pattern.offset
                    var k = 8
                    while k < length && wanted[k] == key[k] { k += 1 }
                    guard k == length else { continue }
                }
            }
            result |= UInt64(1) &<< UInt64(i)
        }
        return result
    }

    /// Records a value for every path in `mask` that ends at `depth`; `start` and `end` are
    /// byte offsets into the payload.
    @inline(__always)
    func record(_ mask: UInt64, depth: Int, kind: JSONValueSlot.Kind, start: Int, end: Int) {
        guard let patterns, let slots else { return }
        var remaining = mask
        while remaining != 0 {
            let i = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            if patterns[depth &* stride &+ i].isLast {
                slots[i] = JSONValueSlot(kind: kind, start: start, end: end)
            }
        }
    }
}
