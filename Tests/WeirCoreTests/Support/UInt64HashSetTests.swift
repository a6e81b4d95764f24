import Testing
import WeirCore

/// The open-addressing key set behind the (day, user) pairs.
struct UInt64HashSetTests {
    @Test func insertReportsNewKeysAcrossGrowth() {
        var set = UInt64HashSet(capacity: 1)
        var firstMismatch: String?
        for key in UInt64(1)...100_000 where firstMismatch == nil {
            if !set.insert(key) { firstMismatch = "first insert of \(key) returned false" }
            if set.count != Int(key) { firstMismatch = "count \(set.count) after inserting \(key)" }
        }
        for key in UInt64(1)...100_000 where firstMismatch == nil {
            if !set.contains(key) { firstMismatch = "lost \(key)" }
            if set.insert(key) { firstMismatch = "second insert of \(key) returned true" }
        }
        for key in UInt64(100_001)...110_000 where firstMismatch == nil {
            if set.contains(key) { firstMismatch = "contains \(key), never inserted" }
        }
        #expect(firstMismatch == nil)
        #expect(set.count == 100_000)
    }

    @Test func matchesSwiftSetOnRandomKeys() {
        let seed = TestSeed.value(default: 0x5EED_0006)
        var random = SplitMix64(seed: seed)
        var set = UInt64HashSet(capacity: 4)
        var reference = Set<UInt64>()
        for n in 0..<50_000 {
            // Keys shaped like (day << 32 | user) collide in their low bits often.
            let key = UInt64(random.below(64)) << 32 | UInt64(1 + random.below(800))
            let inserted = set.insert(key)
            if inserted != reference.insert(key).inserted {
                Issue.record("seed \(seed), step \(n): insert(\(key)) returned \(inserted)")
                return
            }
        }
        #expect(set.count == reference.count, "seed \(seed)")
        #expect(reference.allSatisfy { set.contains($0) }, "seed \(seed)")
        #expect(!set.contains(UInt64(65) << 32 | 1), "seed \(seed)")
    }

    @Test func zeroIsNeverAMember() {
        // Zero marks empty slots and cannot be inserted, so no set contains it.
        var set = UInt64HashSet()
        let emptyContainsZero = set.contains(0)
        _ = set.insert(42)
        let containsZero = set.contains(0)
        #expect(!emptyContainsZero)
        #expect(!containsZero)
    }
}
