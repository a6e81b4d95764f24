import Testing
import WeirCore

/// ``ExactDailyActiveUsers`` against a naive model, and its drained deltas.
struct ExactDailyActiveUsersTests {
    /// The obvious implementation: a set of users and an event count per day.
    struct Model {
        var users: [Int: Set<String>] = [:]
        var events: [Int: Int64] = [:]

        mutating func record(day: Int, user: String) -> Bool {
            events[day, default: 0] += 1
            return users[day, default: []].insert(user).inserted
        }

        var totals: [DayTotals] {
            events.keys.sorted().map { DayTotals(day: $0, dau: Int64(users[$0]!.count), events: events[$0]!) }
        }
    }

    struct Pair: Hashable { var day: Int; var user: String }

    func record(_ state: inout ExactDailyActiveUsers, day: Int, user: String) {
        Array(user.utf8).withUnsafeBufferPointer { state.record(day: day, userId: $0) }
    }

    func pairs(of delta: DailyActiveUsersDelta) -> [Pair] {
        var result: [Pair] = []
        delta.forEachNewPair { day, bytes in result.append(Pair(day: day, user: String(decoding: bytes, as: UTF8.self))) }
        return result
    }

    func eventsPerDay(of delta: DailyActiveUsersDelta) -> [Int: Int64] {
        Dictionary(delta.eventsPerDay.map { ($0.day, $0.events) }, uniquingKeysWith: { _, _ in -1 })
    }

    @Test func matchesNaiveModelAndDrainsExactDeltas() {
        let seed = TestSeed.value(default: 0x5EED_0005)
        var random = SplitMix64(seed: seed)
        var state = ExactDailyActiveUsers()
        var model = Model()
        for batch in 0..<8 {
            var newPairs = Set<Pair>()
            var batchEvents: [Int: Int64] = [:]
            for _ in 0..<(500 + random.below(3_000)) {
                // Days spread around 2024-01-01, some before the first day seen; users skewed.
                let day = 19_723 + random.below(40) - 20
                let user = "user-\(random.below(1 + random.below(2_000)))"
                if model.record(day: day, user: user) { newPairs.insert(Pair(day: day, user: user)) }
                batchEvents[day, default: 0] += 1
                record(&state, day: day, user: user)
            }
            let context = "seed \(seed), batch \(batch)"
            #expect(state.totals == model.totals, "\(context)")
            #expect(state.daySummary.days == model.totals.count && state.daySummary.latest == model.totals.last, "\(context)")
            #expect(state.distinctPairs == model.users.values.reduce(0) { $0 + $1.count }, "\(context)")
            #expect(state.distinctUsers == Set(model.users.values.joined()).count, "\(context)")
            #expect(state.hasPendingDelta, "\(context)")

            let delta = state.drainDelta()
            let drained = pairs(of: delta)
            #expect(drained.count == delta.newPairCount, "\(context)")
            #expect(Set(drained) == newPairs, "\(context)")
            #expect(drained.count == newPairs.count, "\(context): a pair was drained twice")
            #expect(eventsPerDay(of: delta) == batchEvents, "\(context)")
            #expect(delta.eventsPerDay.count == batchEvents.count, "\(context): a day was listed twice")

            #expect(!state.hasPendingDelta, "\(context)")
            let empty = state.drainDelta()
            #expect(empty.isEmpty && empty.newPairCount == 0 && empty.eventsPerDay.isEmpty, "\(context)")
        }
    }

    @Test func repeatedEventsCountButAddNoPairs() {
        var state = ExactDailyActiveUsers()
        record(&state, day: 10, user: "a")
        _ = state.drainDelta()
        record(&state, day: 10, user: "a")
        record(&state, day: 10, user: "a")
        let delta = state.drainDelta()
        #expect(delta.newPairCount == 0)
        #expect(!delta.isEmpty)
        #expect(eventsPerDay(of: delta) == [10: 2])
        #expect(state.totals == [DayTotals(day: 10, dau: 1, events: 3)])
    }

    @Test func daysOutOfOrderGrowTheCountersAtTheFront() {
        var state = ExactDailyActiveUsers()
        record(&state, day: 100, user: "a")
        record(&state, day: 105, user: "a")
        record(&state, day: 98, user: "b")  // before the first day seen
        record(&state, day: 50, user: "a")  // far before
        record(&state, day: 98, user: "a")
        record(&state, day: 120, user: "c")
        record(&state, day: 50, user: "a")
        #expect(state.totals == [
            DayTotals(day: 50, dau: 1, events: 2),
            DayTotals(day: 98, dau: 2, events: 2),
            DayTotals(day: 100, dau: 1, events: 1),
            DayTotals(day: 105, dau: 1, events: 1),
            DayTotals(day: 120, dau: 1, events: 1),
        ])
        let delta = state.drainDelta()
        #expect(eventsPerDay(of: delta) == [50: 2, 98: 2, 100: 1, 105: 1, 120: 1])
        #expect(Set(pairs(of: delta)) == [
            Pair(day: 100, user: "a"), Pair(day: 105, user: "a"), Pair(day: 98, user: "b"),
            Pair(day: 50, user: "a"), Pair(day: 98, user: "a"), Pair(day: 120, user: "c"),
        ])
    }

    @Test func daysBeforeTheEpochRoundTrip() {
        var state = ExactDailyActiveUsers()
        record(&state, day: -5, user: "old")
        record(&state, day: 3, user: "old")
        #expect(state.totals.map(\.day) == [-5, 3])
        #expect(Set(pairs(of: state.drainDelta())) == [Pair(day: -5, user: "old"), Pair(day: 3, user: "old")])
    }

    @Test func aDeltaKeepsItsUserIdsWhileTheStateMovesOn() {
        var state = ExactDailyActiveUsers()
        record(&state, day: 1, user: "first")
        record(&state, day: 1, user: "second")
        let delta = state.drainDelta()
        for i in 0..<100_000 { record(&state, day: 2, user: "later-\(i)") }  // the interner grows
        #expect(pairs(of: delta) == [Pair(day: 1, user: "first"), Pair(day: 1, user: "second")])
        #expect(state.distinctUsers == 100_002)
        #expect(state.drainDelta().newPairCount == 100_000)
    }

    /// Many users (so the day bitmaps span several chunks and their directory grows both in
    /// users and, with days far apart in both directions, in days), recorded one by one and
    /// in batches, against the model.
    @Test func manyUsersOverWideDaysMatchTheModel() {
        let seed = TestSeed.value(default: 0x5EED_0B17)
        var random = SplitMix64(seed: seed)
        var state = ExactDailyActiveUsers()
        var model = Model()
        var expected = 0
        for round in 0..<6 {
            var new = Set<Pair>()
            var batchDays: [Int] = []
            var batchUsers: [[UInt8]] = []
            for _ in 0..<20_000 {
                let day = 19_723 + (random.below(50) == 0 ? random.below(400) - 200 : random.below(10))
                let user = "u\(random.below(30_000))"
                if model.record(day: day, user: user) { new.insert(Pair(day: day, user: user)) }
                if round % 2 == 0 {
                    record(&state, day: day, user: user)
                } else {
                    // Odd rounds take the batch path, in batches of up to 64 events.
                    batchDays.append(day)
                    batchUsers.append(Array(user.utf8))
                    if batchDays.count == 1 + random.below(64) || batchDays.count == 64 {
                        withPointers(batchUsers) { users in batchDays.withUnsafeBufferPointer { state.record(days: $0, userIds: users) } }
                        batchDays.removeAll()
                        batchUsers.removeAll()
                    }
                }
            }
            withPointers(batchUsers) { users in batchDays.withUnsafeBufferPointer { state.record(days: $0, userIds: users) } }
            // Each drain holds exactly the pairs first seen since the one before.
            let pairs = pairs(of: state.drainDelta())
            #expect(pairs.count == new.count, "seed \(seed), round \(round): a pair drained twice, or again")
            #expect(Set(pairs) == new, "seed \(seed), round \(round)")
            expected += new.count
        }
        #expect(state.totals == model.totals, "seed \(seed)")
        #expect(state.distinctPairs == expected, "seed \(seed)")
        #expect(state.distinctUsers == Set(model.users.values.joined()).count, "seed \(seed)")
    }
}
