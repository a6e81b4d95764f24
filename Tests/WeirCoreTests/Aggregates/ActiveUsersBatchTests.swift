import Testing
import WeirCore

/// The batch paths used by the DAU hot loop — ``ByteStringInterner/intern(batch:ids:)`` and
/// ``ExactDailyActiveUsers`` batches — give exactly what one-at-a-time calls give, across
/// table growth and repeats within a batch.
struct ActiveUsersBatchTests {
    /// Random user ids, many repeated, some new, of varied lengths (empty included).
    func randomIds(_ random: inout SplitMix64, count: Int, population: Int) -> [[UInt8]] {
        (0..<count).map { _ in
            let n = random.below(1 + random.below(population))
            return Array((n % 7 == 0 ? "" : n % 5 == 0 ? "a-much-longer-user-id-\(n)" : "u\(n)").utf8)
        }
    }

    func withBuffers<R>(_ ids: [[UInt8]], _ body: (UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) -> R) -> R {
        // Copy into one stable buffer so the pointers stay valid for the whole call.
        let flat = ids.flatMap { $0 }
        return flat.withUnsafeBufferPointer { all in
            var start = 0
            let pointers = ids.map { id -> UnsafeBufferPointer<UInt8> in
                defer { start += id.count }
                return UnsafeBufferPointer(rebasing: all[start..<(start + id.count)])
            }
            return pointers.withUnsafeBufferPointer(body)
        }
    }

    @Test(arguments: [UInt64(0xBA7C_0001), 0xBA7C_0002, 0xBA7C_0003])
    func internerBatchesMatchSingleInterning(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var single = ByteStringInterner(capacity: 4)
        var batched = ByteStringInterner(capacity: 4)
        var mismatch: String?
        for round in 0..<300 where mismatch == nil {
            let ids = randomIds(&random, count: 1 + random.below(64), population: 5_000)
            let want = ids.map { id in id.withUnsafeBufferPointer { single.intern($0) } }
            var got = [UInt32](repeating: 0, count: ids.count)
            withBuffers(ids) { keys in got.withUnsafeMutableBufferPointer { batched.intern(batch: keys, ids: $0) } }
            if got != want { mismatch = "round \(round): \(got) want \(want)" }
        }
        #expect(mismatch == nil, "seed \(seed): \(mismatch ?? "")")
        #expect(batched.count == single.count, "seed \(seed)")
        for id in 1...UInt32(single.count) where single.string(of: id) != batched.string(of: id) {
            Issue.record("seed \(seed): id \(id) is \(batched.string(of: id)), want \(single.string(of: id))")
            break
        }
    }

    @Test(arguments: [UInt64(0xBA7C_2001), 0xBA7C_2002])
    func exactDailyActiveUsersBatchesMatchSingleRecords(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var single = ExactDailyActiveUsers()
        var batched = ExactDailyActiveUsers()
        for _ in 0..<200 {
            let ids = randomIds(&random, count: 1 + random.below(64), population: 3_000)
            let days = ids.map { _ in 19_700 + random.below(30) - 15 }
            for (day, id) in zip(days, ids) { id.withUnsafeBufferPointer { single.record(day: day, userId: $0) } }
            withBuffers(ids) { keys in days.withUnsafeBufferPointer { batched.record(days: $0, userIds: keys) } }
        }
        #expect(batched.totals == single.totals, "seed \(seed)")
        #expect(batched.distinctPairs == single.distinctPairs, "seed \(seed)")
        #expect(batched.drainDelta().newPairCount == single.drainDelta().newPairCount, "seed \(seed)")
    }
}
