import Testing
import WeirCore

/// Per-partition watermarks, bounded out-of-orderness, idleness and the task watermark.
struct WatermarkTrackerTests {
    let policy = try! WatermarkPolicy(outOfOrderness: 100, idleTimeout: 1_000)

    @Test func partitionWatermarkIsTheMaximumMinusTheBound() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0], now: 0)
        #expect(tracker.watermark == .min)
        #expect(tracker.observe([500, 300, 700], from: 0, now: 1) == 600)
        #expect(tracker.observe([650], from: 0, now: 2) == nil)  // out of order: no change
        #expect(tracker.watermark == 600)
        #expect(tracker.state(of: 0)?.maxEventTime == 700)
    }

    @Test func taskWatermarkIsTheMinimumOverActivePartitions() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0, 1], now: 0)
        // Partition 1 has sent nothing: it holds the task watermark back.
        #expect(tracker.observe([1_000], from: 0, now: 10) == nil)
        #expect(tracker.watermark == .min)
        #expect(tracker.observe([400], from: 1, now: 20) == 300)
        #expect(tracker.observe([2_000], from: 1, now: 30) == 900)
        #expect(tracker.watermark == 900)
    }

    @Test func idlePartitionStopsHoldingTheTaskBackAndRejoiningDoesNotMoveItBack() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0, 1], now: 0)
        tracker.observe([1_000], from: 0, now: 0)
        tracker.observe([200], from: 1, now: 0)
        #expect(tracker.watermark == 100)
        // Partition 1 is silent; partition 0 goes on.
        tracker.observe([5_000], from: 0, now: 900)
        #expect(tracker.tick(now: 999) == nil)
        #expect(tracker.state(of: 1)?.isIdle == false)
        #expect(tracker.tick(now: 1_000) == 4_900)  // partition 1 idle after 1 s without records
        #expect(tracker.state(of: 1)?.isIdle == true)
        // Partition 1 comes back far behind: it is active again, the task watermark holds.
        #expect(tracker.observe([300], from: 1, now: 1_100) == nil)
        #expect(tracker.state(of: 1)?.isIdle == false)
        #expect(tracker.watermark == 4_900)
        // It advances again only when partition 1 catches up past it.
        #expect(tracker.observe([4_500], from: 1, now: 1_200) == nil)
        #expect(tracker.observe([6_000], from: 1, now: 1_300) == nil)
        #expect(tracker.watermark == 4_900)  // partition 0's 5_000 - 100 is now the minimum
        #expect(tracker.observe([7_000], from: 0, now: 1_400) == 5_900)
    }

    @Test func whenEveryPartitionIsIdleTheWatermarkHolds() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0, 1], now: 0)
        tracker.observe([1_000], from: 0, now: 0)
        tracker.observe([3_000], from: 1, now: 0)
        #expect(tracker.watermark == 900)
        #expect(tracker.tick(now: 5_000) == nil)
        #expect(tracker.state(of: 0)?.isIdle == true && tracker.state(of: 1)?.isIdle == true)
        #expect(tracker.watermark == 900)
    }

    @Test func withoutATimeoutPartitionsNeverGoIdle() {
        var tracker = WatermarkTracker<Int>(policy: try! WatermarkPolicy(outOfOrderness: 0), partitions: [0, 1], now: 0)
        tracker.observe([1_000], from: 0, now: 0)
        #expect(tracker.tick(now: .max) == nil)
        #expect(tracker.watermark == .min)
    }

    @Test func unknownPartitionsAreRegisteredOnFirstRecord() {
        var tracker = WatermarkTracker<String>(policy: policy, now: 0)
        #expect(tracker.observe([1_000], from: "a", now: 0) == 900)
        #expect(tracker.registeredPartitions == ["a"])
    }

    @Test func snapshotRoundTripContinuesTheSameWay() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0, 1, 2], now: 0)
        tracker.observe([1_000], from: 0, now: 0)
        tracker.observe([2_000], from: 1, now: 500)
        tracker.tick(now: 1_200)  // partitions 0 and 2 idle
        var restored = WatermarkTracker<Int>(policy: policy, restoring: tracker.snapshot())
        #expect(restored.watermark == tracker.watermark)
        for p in 0..<3 { #expect(restored.state(of: p) == tracker.state(of: p)) }
        #expect(restored.observe([3_000], from: 2, now: 1_300) == tracker.observe([3_000], from: 2, now: 1_300))
        #expect(restored.tick(now: 9_000) == tracker.tick(now: 9_000))
    }

    @Test func invalidPoliciesAreRefusedWithACode() {
        #expect(throws: WindowConfigurationError.self) { try WatermarkPolicy(outOfOrderness: -1) }
        do {
            _ = try WatermarkPolicy(outOfOrderness: 0, idleTimeout: 0)
            Issue.record("accepted a zero idle timeout")
        } catch {
            #expect(error.code == .nonPositiveIdleTimeout)
        }
    }

    @Test func extremeEventTimesSaturate() {
        var tracker = WatermarkTracker<Int>(policy: policy, partitions: [0], now: 0)
        #expect(tracker.observe([Int64.min + 5], from: 0, now: 0) == nil)
        #expect(tracker.watermark == .min)
        #expect(tracker.observe([Int64.max], from: 0, now: 0) == Int64.max - 100)
    }
}
