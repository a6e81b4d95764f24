import Testing
@testable import WeirCore

/// The interval join against a naive reference: every pair satisfying the predicate among
/// the accepted records, emitted exactly once, on random out-of-order inputs; the same
/// records refused as late; and buffered state equal to the accepted records the
/// watermark has not yet passed by the join's retention.
struct IntervalJoinPropertyTests {
    /// One step of a random run.
    enum Step {
        case left([JoinRecord<Int, Int>])
        case right([JoinRecord<Int, Int>])
        case watermark(Int64)
    }

    /// A random run: bounds and steps. Values are unique record ids.
    struct Scenario {
        var bounds: IntervalJoinBounds
        var steps: [Step]
        var recordCount: Int
        /// When set, the join is snapshotted and restored before this step.
        var restoreAt: Int?
    }

    static func scenario(seed: UInt64, records: Int) -> Scenario {
        var random = SplitMix64(seed: seed)
        let before = Int64(random.below(80)) - 20
        let after = -before + Int64(random.below(100))
        let lateness = random.below(3) == 0 ? Int64(random.below(40)) : 0
        let bounds = try! IntervalJoinBounds(before: before, after: after, allowedLateness: lateness)
        let keys = 1 + random.below(12)
        let disorder = 1 + random.below(120)
        let outOfOrderness = Int64(random.below(80))
        var clock: Int64 = 10_000
        var maxSeen: Int64 = .min
        var steps: [Step] = []
        var id = 0
        while id < records {
            let size = 1 + random.below(16)
            var batch: [JoinRecord<Int, Int>] = []
            for _ in 0..<min(size, records - id) {
                clock += Int64(random.below(6))
                var ts = clock - Int64(random.below(disorder))
                if random.below(20) == 0 { ts = clock - Int64(random.below(600)) }  // stragglers
                maxSeen = max(maxSeen, ts)
                batch.append(JoinRecord(key: random.below(keys), timestamp: ts, value: id))
                id += 1
            }
            steps.append(random.below(2) == 0 ? .left(batch) : .right(batch))
            if random.below(3) == 0 {
                // Mostly forward, sometimes behind (must be ignored).
                let w = maxSeen - outOfOrderness - (random.below(8) == 0 ? 500 : 0)
                steps.append(.watermark(w))
            }
        }
        let restoreAt = random.below(2) == 0 ? random.below(steps.count) : nil
        return Scenario(bounds: bounds, steps: steps, recordCount: records, restoreAt: restoreAt)
    }

    /// The naive reference: a record is late when `ts <= watermark - slack` for its side;
    /// the result is all pairs among the accepted records.
    struct Reference {
        var bounds: IntervalJoinBounds
        var watermark: Int64 = .min
        var acceptedLeft: [JoinRecord<Int, Int>] = []
        var acceptedRight: [JoinRecord<Int, Int>] = []
        var lateIds: [Int] = []

        var retention: Int64 { max(bounds.before, 0) + max(bounds.after, 0) + bounds.allowedLateness }

        mutating func accept(_ record: JoinRecord<Int, Int>, left: Bool) {
            let slack = left ? retention - bounds.after : retention - bounds.before
            if watermark != .min && record.timestamp <= watermark - slack {
                lateIds.append(record.value)
            } else if left {
                acceptedLeft.append(record)
            } else {
                acceptedRight.append(record)
            }
        }

        /// Accepted records the watermark has not passed by the retention.
        var live: Int {
            guard watermark != .min else { return acceptedLeft.count + acceptedRight.count }
            let horizon = watermark - retention
            return acceptedLeft.count { $0.timestamp > horizon } + acceptedRight.count { $0.timestamp > horizon }
        }

        var pairs: [Pair] {
            var byKey: [Int: [JoinRecord<Int, Int>]] = [:]
            for b in acceptedRight { byKey[b.key, default: []].append(b) }
            var result: [Pair] = []
            for a in acceptedLeft {
                for b in byKey[a.key] ?? [] where b.timestamp - bounds.before <= a.timestamp && a.timestamp <= b.timestamp + bounds.after {
                    result.append(Pair(left: a.value, right: b.value))
                }
            }
            return result.sorted()
        }
    }

    struct Pair: Hashable, Comparable, CustomStringConvertible {
        var left: Int
        var right: Int
        static func < (a: Pair, b: Pair) -> Bool { (a.left, a.right) < (b.left, b.right) }
        var description: String { "(\(left), \(right))" }
    }

    /// What one run produced, to check the inputs exercise both outputs.
    struct Totals {
        var pairs = 0
        var late = 0
    }

    /// Runs one scenario; returns a description of the first difference, or nil.
    static func check(_ s: Scenario) -> String? {
        var totals = Totals()
        return check(s, totals: &totals)
    }

    /// Runs one scenario, adding what it produced to `totals`.
    static func check(_ s: Scenario, totals: inout Totals) -> String? {
        var join = IntervalJoin<Int, Int, Int>(bounds: s.bounds)
        var reference = Reference(bounds: s.bounds)
        var output = IntervalJoinOutput<Int, Int, Int>()
        var pairs: [Pair] = []
        var late: [Int] = []
        var timestamps: [Int: Int64] = [:]
        for (index, step) in s.steps.enumerated() {
            if index == s.restoreAt {
                let snapshot = join.snapshot()
                do {
                    join = try IntervalJoin(bounds: s.bounds, restoring: snapshot)
                } catch {
                    return "restore before step \(index) failed: \(error)"
                }
                if join.snapshot().left.count != snapshot.left.count || join.bufferedCount != snapshot.left.count + snapshot.right.count {
                    return "restored state differs before step \(index)"
                }
            }
            switch step {
            case .left(let batch):
                for r in batch { reference.accept(r, left: true); timestamps[r.value] = r.timestamp }
                join.processLeft(batch, into: &output)
            case .right(let batch):
                for r in batch { reference.accept(r, left: false); timestamps[r.value] = r.timestamp }
                join.processRight(batch, into: &output)
            case .watermark(let w):
                let action = join.advanceWatermark(to: w)
                if w > reference.watermark {
                    reference.watermark = w
                    if case .ignored = action { return "watermark \(w) ignored, \(s.bounds)" }
                } else if action != .ignored(current: reference.watermark) {
                    return "regressing watermark \(w) not ignored: \(action)"
                }
                if join.bufferedCount != reference.live {
                    return "after watermark \(w): \(join.bufferedCount) buffered, expected \(reference.live), \(s.bounds)"
                }
            }
            for m in output.matches {
                guard m.leftTimestamp == timestamps[m.left], m.rightTimestamp == timestamps[m.right],
                      s.bounds.matches(left: m.leftTimestamp, right: m.rightTimestamp) else {
                    return "bad match \(m), \(s.bounds)"
                }
                pairs.append(Pair(left: m.left, right: m.right))
            }
            for l in output.late {
                switch l.record {
                case .left(let r): late.append(r.value)
                case .right(let r): late.append(r.value)
                }
            }
            output.removeAll()
        }
        if late != reference.lateIds { return "late \(late.count) records, expected \(reference.lateIds.count), \(s.bounds)" }
        if join.lateLeftCount + join.lateRightCount != late.count { return "late counters disagree with the late output" }
        pairs.sort()
        let expected = reference.pairs
        if pairs != expected {
            let got = Set(pairs), want = Set(expected)
            let duplicates = pairs.count - got.count
            return "\(pairs.count) pairs (\(duplicates) duplicates), expected \(expected.count); "
                + "missing \(want.subtracting(got).sorted().prefix(5)), extra \(got.subtracting(want).sorted().prefix(5)), \(s.bounds)"
        }
        totals.pairs += pairs.count
        totals.late += late.count
        // Once the watermark passes everything, nothing stays buffered.
        join.advanceWatermark(to: .max / 2)
        if join.bufferedCount != 0 || join.keyCount != 0 || join.evictionQueue.count != 0 {
            return "state left after the final watermark: \(join.bufferedCount) records, \(join.keyCount) keys, \(join.evictionQueue.count) queued"
        }
        return nil
    }

    static let seedCount = 200
    static let recordsPerSeed = 2_000

    @Test func matchesTheNaiveReferenceOnRandomOutOfOrderInputs() {
        let base = TestSeed.value(default: 0x501_0001)
        var totals = Totals()
        for i in 0..<UInt64(Self.seedCount) {
            let seed = base &+ i
            if let failure = Self.check(Self.scenario(seed: seed, records: Self.recordsPerSeed), totals: &totals) {
                Issue.record("seed \(seed): \(failure)")
                return
            }
        }
        // The inputs exercise both outputs: many pairs, and a few percent late records.
        let records = Self.seedCount * Self.recordsPerSeed
        #expect(totals.pairs > records / 2, "\(totals.pairs) pairs, base seed \(base)")
        #expect(totals.late > records / 100 && totals.late < records / 5, "\(totals.late) late, base seed \(base)")
    }

    @Test func reversedSingleRecordBatchesAlsoMatch() {
        let base = TestSeed.value(default: 0x501_1001)
        for i in 0..<UInt64(50) {
            let seed = base &+ i
            var s = Self.scenario(seed: seed, records: 400)
            // Split every batch into single records and put them in reverse order.
            s.steps = s.steps.flatMap { step -> [Step] in
                switch step {
                case .left(let b): return b.reversed().map { .left([$0]) }
                case .right(let b): return b.reversed().map { .right([$0]) }
                case .watermark: return [step]
                }
            }
            if let failure = Self.check(s) {
                Issue.record("seed \(seed): \(failure)")
                return
            }
        }
    }
}
