import Testing
import WeirCore

/// The tracker against its definition, recomputed naively after every operation on random
/// sequences of batches and clock ticks, with snapshot round trips along the way.
struct WatermarkTrackerPropertyTests {
    @Test func trackerMatchesTheDefinitionOnRandomSequences() {
        let base = TestSeed.value(default: 0x5EED_0710)
        for i in 0..<200 {
            let seed = base &+ UInt64(i)
            var random = SplitMix64(seed: seed)
            let partitions = 1 + random.below(5)
            let bound = Int64(random.below(500))
            let timeout: Int64? = random.below(4) == 0 ? nil : Int64(1 + random.below(400))
            let policy = try! WatermarkPolicy(outOfOrderness: bound, idleTimeout: timeout)
            var tracker = WatermarkTracker<Int>(policy: policy, partitions: Array(0..<partitions), now: 0)

            var maxSeen = [Int64?](repeating: nil, count: partitions)
            var last = [Int64](repeating: 0, count: partitions)
            var idle = [Bool](repeating: false, count: partitions)
            var expected = Int64.min
            var now: Int64 = 0
            func model() -> Int64? {
                let active = (0..<partitions).filter { !idle[$0] }
                guard let m = active.map({ maxSeen[$0].map { $0 - bound } ?? .min }).min(), m > expected else { return nil }
                expected = m
                return m
            }
            for op in 0..<500 {
                now += Int64(random.below(100))
                let advanced: Int64?
                if random.below(3) == 0 {
                    if let timeout { for p in 0..<partitions where now - last[p] >= timeout { idle[p] = true } }
                    let wanted = model()
                    advanced = tracker.tick(now: now)
                    #expect(advanced == wanted, "seed \(seed) op \(op) tick")
                } else {
                    let p = random.below(partitions)
                    let times = (0..<(1 + random.below(5))).map { _ in Int64(random.below(20_000)) + Int64(op) * 20 }
                    idle[p] = false
                    last[p] = now
                    maxSeen[p] = max(maxSeen[p] ?? .min, times.max()!)
                    let wanted = model()
                    advanced = tracker.observe(times, from: p, now: now)
                    #expect(advanced == wanted, "seed \(seed) op \(op) observe")
                }
                #expect(tracker.watermark == expected, "seed \(seed) op \(op)")
                for p in 0..<partitions {
                    #expect(tracker.state(of: p)?.isIdle == idle[p], "seed \(seed) op \(op) partition \(p)")
                }
                if random.below(50) == 0 { tracker = WatermarkTracker(policy: policy, restoring: tracker.snapshot()) }
            }
        }
    }
}
