import Testing
import WeirCore

/// Interval join examples: the bounds, the late output, the watermark actions and the
/// eviction that keeps state bounded.
struct IntervalJoinTests {
    typealias Join = IntervalJoin<String, String, String>

    static func left(_ key: String, _ ts: Int64, _ value: String) -> JoinRecord<String, String> {
        JoinRecord(key: key, timestamp: ts, value: value)
    }

    @Test func boundsAreValidatedWithStableCodes() {
        #expect(throws: JoinConfigurationError(.emptyInterval, "a.ts in [b.ts - -10, b.ts + 5] is empty")) {
            try IntervalJoinBounds(before: -10, after: 5)
        }
        do {
            _ = try IntervalJoinBounds(before: 1, after: 1, allowedLateness: -1)
            Issue.record("negative lateness accepted")
        } catch {
            #expect(error.code == .negativeLateness)
        }
        do {
            _ = try IntervalJoinBounds(before: .max, after: 1)
            Issue.record("huge bound accepted")
        } catch {
            #expect(error.code == .boundTooLarge)
        }
        #expect((try? IntervalJoinBounds(before: -5, after: 5)) != nil)  // a single instant
    }

    @Test func bothEndsAreInclusiveAndEachPairIsEmittedOnce() throws {
        var join = Join(bounds: try IntervalJoinBounds(before: 10, after: 5))
        var out = IntervalJoinOutput<String, String, String>()
        join.processRight([Self.left("k", 100, "b100")], into: &out)
        join.processLeft([Self.left("k", 89, "a89"), Self.left("k", 90, "a90"), Self.left("k", 105, "a105"),
                          Self.left("k", 106, "a106"), Self.left("other", 100, "x")], into: &out)
        #expect(out.matches.map { "\($0.left)-\($0.right)" } == ["a90-b100", "a105-b100"])
        #expect(out.matches.map(\.timestamp) == [100, 105])
        out.removeAll()
        // A second right record meets the buffered left ones; nothing is emitted twice.
        join.processRight([Self.left("k", 95, "b95")], into: &out)
        #expect(out.matches.map { "\($0.left)-\($0.right)" } == ["a89-b95", "a90-b95"])
        #expect(join.bufferedLeftCount == 5 && join.bufferedRightCount == 2 && join.keyCount == 2)
    }

    @Test func recordsBehindTheWatermarkBeyondTheBoundGoToTheLateOutput() throws {
        var join = Join(bounds: try IntervalJoinBounds(before: 10, after: 30))
        var out = IntervalJoinOutput<String, String, String>()
        #expect(join.advanceWatermark(to: 1_000) == .advanced(evictedLeft: 0, evictedRight: 0))
        #expect(join.advanceWatermark(to: 900) == .ignored(current: 1_000))
        // Left may be up to `before` (10) behind the watermark, right up to `after` (30).
        join.processLeft([Self.left("k", 991, "a-ok"), Self.left("k", 990, "a-late")], into: &out)
        join.processRight([Self.left("k", 971, "b-ok"), Self.left("k", 970, "b-late")], into: &out)
        #expect(out.matches.map { "\($0.left)-\($0.right)" } == ["a-ok-b-ok"])
        #expect(out.late.count == 2 && join.lateLeftCount == 1 && join.lateRightCount == 1)
        let reasons = out.late.map(\.reason)
        #expect(reasons.map(\.code) == [.behindJoinHorizon, .behindJoinHorizon])
        #expect(reasons.map(\.side) == [.left, .right])
        #expect(reasons.map(\.slack) == [10, 30])
        #expect(reasons[0].description == "join_behind_horizon: left record at 990 ms is at or behind watermark 1000 ms - 10 ms")
        if case .left(let record) = out.late[0].record { #expect(record.value == "a-late") } else { Issue.record("wrong side") }
    }

    @Test func evictionFollowsTheWatermarkByTheRetention() throws {
        let bounds = try IntervalJoinBounds(before: 10, after: 30, allowedLateness: 5)
        #expect(bounds.retention == 45)
        var join = Join(bounds: bounds)
        var out = IntervalJoinOutput<String, String, String>()
        join.processLeft([Self.left("a", 100, "1"), Self.left("b", 120, "2")], into: &out)
        join.processRight([Self.left("a", 130, "3")], into: &out)
        #expect(join.advanceWatermark(to: 144) == .advanced(evictedLeft: 0, evictedRight: 0))
        #expect(join.advanceWatermark(to: 145) == .advanced(evictedLeft: 1, evictedRight: 0))
        #expect(join.keyCount == 2)
        #expect(join.advanceWatermark(to: 175) == .advanced(evictedLeft: 1, evictedRight: 1))
        #expect(join.bufferedCount == 0 && join.keyCount == 0)
    }

    /// A long, roughly ordered stream: state stays within the records of the last
    /// retention period, and is empty once the watermark passes the end.
    @Test func stateStaysBoundedOnALongStream() throws {
        let seed = TestSeed.value(default: 0x501_2001)
        var random = SplitMix64(seed: seed)
        let bounds = try IntervalJoinBounds(before: 50, after: 50)
        var join = IntervalJoin<Int, Int, Int>(bounds: bounds)
        var out = IntervalJoinOutput<Int, Int, Int>()
        var clock: Int64 = 0
        var peak = 0
        for _ in 0..<2_000 {
            var lefts: [JoinRecord<Int, Int>] = [], rights: [JoinRecord<Int, Int>] = []
            for _ in 0..<50 {
                clock += 1
                let r = JoinRecord(key: random.below(1_000), timestamp: clock - Int64(random.below(20)), value: 0)
                if random.below(2) == 0 { lefts.append(r) } else { rights.append(r) }
            }
            join.processLeft(lefts, into: &out)
            join.processRight(rights, into: &out)
            out.removeAll()
            join.advanceWatermark(to: clock - 20)
            peak = max(peak, join.bufferedCount)
        }
        // Records within retention (100 ms) + out-of-orderness (20 ms) + one batch (50 ms) of the clock.
        #expect(peak <= 170, "peak \(peak) buffered records, seed \(seed)")
        #expect(join.lateLeftCount + join.lateRightCount == 0, "seed \(seed)")
        join.advanceWatermark(to: clock + 1_000)
        #expect(join.bufferedCount == 0 && join.keyCount == 0, "seed \(seed)")
    }
}

extension IntervalJoinTests {
    /// A snapshot restores the buffers, watermark and counters, and refuses other bounds.
    @Test func snapshotThenRestoreContinuesTheSameJoin() throws {
        let bounds = try IntervalJoinBounds(before: 10, after: 10)
        var join = Join(bounds: bounds)
        var out = IntervalJoinOutput<String, String, String>()
        join.processLeft([Self.left("k", 100, "a1"), Self.left("j", 100, "a2")], into: &out)
        join.advanceWatermark(to: 95)
        join.processRight([Self.left("k", 80, "late")], into: &out)
        var restored = try Join(bounds: bounds, restoring: join.snapshot())
        #expect(restored.watermark == 95 && restored.lateRightCount == 1 && restored.bufferedCount == 2)
        out.removeAll()
        restored.processRight([Self.left("k", 105, "b1")], into: &out)
        #expect(out.matches.map { "\($0.left)-\($0.right)" } == ["a1-b1"])
        let wider = try IntervalJoinBounds(before: 10, after: 11)
        do {
            _ = try Join(bounds: wider, restoring: join.snapshot())
            Issue.record("changed bounds accepted")
        } catch {
            #expect(error.code == .boundsChanged)
        }
    }
}
