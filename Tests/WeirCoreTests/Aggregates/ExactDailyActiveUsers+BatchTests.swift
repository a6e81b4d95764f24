import Testing
import WeirCore

/// ``ExactDailyActiveUsers/record(days:userIds:)`` (with its per-user last-pair shortcut)
/// must end in the same totals and drain the same deltas, in the same order, as recording
/// each event in turn — also when days go backwards.
struct ExactDailyActiveUsersBatchTests {
    func drained(_ state: inout ExactDailyActiveUsers) -> (pairs: [String], events: [String]) {
        let delta = state.drainDelta()
        var pairs: [String] = []
        delta.forEachNewPair { day, bytes in pairs.append("\(day):\(String(decoding: bytes, as: UTF8.self))") }
        return (pairs, delta.eventsPerDay.map { "\($0.day)=\($0.events)" })
    }

    @Test func batchesMatchOneByOne() {
        let seed = TestSeed.value(default: 0x5EED_BA7C)
        var random = SplitMix64(seed: seed)
        var single = ExactDailyActiveUsers()
        var batched = ExactDailyActiveUsers()
        var day = 19_000
        for round in 0..<400 {
            let n = 1 + random.below(40)
            var days: [Int] = []
            var users: [[UInt8]] = []
            for _ in 0..<n {
                switch random.below(20) {
                case 0: day += 1
                case 1: day -= random.below(3)  // late events
                default: break
                }
                days.append(day + (random.below(10) == 0 ? -random.below(5) : 0))
                users.append(Array("u\(random.below(random.below(2) == 0 ? 20 : 500))".utf8))
            }
            for i in 0..<n { users[i].withUnsafeBufferPointer { single.record(day: days[i], userId: $0) } }
            withPointers(users) { buffers in
                days.withUnsafeBufferPointer { batched.record(days: $0, userIds: buffers) }
            }
            if round % 7 == 0 {
                let a = drained(&single)
                let b = drained(&batched)
                #expect(a.pairs == b.pairs, "seed \(seed), round \(round)")
                #expect(a.events == b.events, "seed \(seed), round \(round)")
            }
        }
        #expect(single.totals == batched.totals, "seed \(seed)")
        #expect(single.distinctPairs == batched.distinctPairs, "seed \(seed)")
    }
}
