import Testing
import WeirCore

/// ``ByteStringInterner/intern(batch:ids:)`` must give exactly the ids of interning each key in turn.
struct ByteStringInternerBatchTests {
    @Test func batchesMatchOneByOneAcrossGrowth() {
        let seed = TestSeed.value(default: 0x5EED_1A7E)
        var random = SplitMix64(seed: seed)
        var single = ByteStringInterner(capacity: 4)
        var batched = ByteStringInterner(capacity: 4)
        for round in 0..<300 {
            let n = 1 + random.below(40)
            let keys: [[UInt8]] = (0..<n).map { _ in
                // Few distinct values, so batches repeat keys, including within one batch.
                let length = random.below(4) == 0 ? random.below(40) : 1 + random.below(10)
                let value = random.below(3000)
                return (0..<length).map { UInt8(truncatingIfNeeded: (value &* 31 &+ $0 &* 7) % 251) }
            }
            let expected = keys.map { key in key.withUnsafeBufferPointer { single.intern($0) } }
            var got = [UInt32](repeating: 0, count: n)
            withPointers(keys) { buffers in
                got.withUnsafeMutableBufferPointer { batched.intern(batch: buffers, ids: $0) }
            }
            #expect(got == expected, "seed \(seed), round \(round)")
        }
        #expect(single.count == batched.count)
        for id in 1...UInt32(batched.count) {
            #expect(single.string(of: id) == batched.string(of: id), "seed \(seed), id \(id)")
        }
    }
}

/// Calls `body` with buffers pointing at each of `keys`.
func withPointers<R>(_ keys: [[UInt8]], _ body: (UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) -> R) -> R {
    let storage = keys.map { key -> UnsafeMutableBufferPointer<UInt8> in
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(key.count, 1))
        _ = copy.initialize(from: key)
        return copy
    }
    defer { storage.forEach { $0.deallocate() } }
    let buffers = zip(storage, keys).map { UnsafeBufferPointer(start: $0.0.baseAddress, count: $0.1.count) }
    return buffers.withUnsafeBufferPointer(body)
}
