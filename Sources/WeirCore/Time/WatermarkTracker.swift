/// Per-partition watermarks with bounded out-of-orderness, idle partitions, and the task
/// watermark: the minimum over the active (non-idle) partitions.
///
/// A watermark `W` asserts that no more records with event time below `W` are expected;
/// a window `[start, end)` is complete once `W >= end`. The task watermark never moves
/// backwards: a partition that comes back from idleness behind it holds it where it is
/// until it catches up, and its older records are late. When every partition is idle the
/// task watermark holds (as Flink's does).
///
/// A pure value: it reads no clock. Callers pass processing time (`now`, milliseconds)
/// from the task's injected clock.
///
/// - Complexity: `observe` is O(1) amortized per call (one dictionary lookup per batch with
///   the batch form); recomputing the task watermark is O(partitions), done once per
///   batch or tick.
public struct WatermarkTracker<Partition: Hashable & Sendable>: Sendable {
    /// The policy: out-of-orderness bound and idle timeout.
    public let policy: WatermarkPolicy
    /// The task watermark: `Int64.min` until every active partition has seen a record.
    public internal(set) var watermark: Int64
    @usableFromInline internal var partitions: [Partition: PartitionWatermark]
    @usableFromInline internal var order: [Partition]

    /// A tracker for the given partitions, all active since `now`. A registered partition
    /// that has sent nothing holds the watermark at `Int64.min` until it goes idle.
    public init(policy: WatermarkPolicy, partitions: [Partition] = [], now: Int64) {
        self.policy = policy
        self.watermark = .min
        self.partitions = [:]
        self.order = []
        for p in partitions { register(p, now: now) }
    }

    /// Adds a partition (for example after a rebalance), active since `now`; no effect
    /// when it is already known.
    public mutating func register(_ partition: Partition, now: Int64) {
        guard partitions[partition] == nil else { return }
        partitions[partition] = PartitionWatermark(maxEventTime: nil, lastActivity: now, isIdle: false)
        order.append(partition)
    }

    /// The state of one partition, or `nil` when it is not registered.
    public func state(of partition: Partition) -> PartitionWatermark? { partitions[partition] }

    /// The registered partitions, in registration order.
    public var registeredPartitions: [Partition] { order }

    /// Records a batch from one partition that arrived at processing time `now`: the
    /// partition becomes active and its maximum event time grows. Registers unknown
    /// partitions. Returns the new task watermark when it advanced.
    ///
    /// - Complexity: O(n) in the batch plus O(partitions).
    @inlinable
    @discardableResult
    public mutating func observe(_ eventTimes: some Sequence<Int64>, from partition: Partition, now: Int64) -> Int64? {
        var batchMax: Int64?
        for t in eventTimes { batchMax = Swift.max(batchMax ?? t, t) }
        guard let batchMax else { return nil }
        return observe(maxEventTime: batchMax, from: partition, now: now)
    }

    /// Records that `partition` delivered records up to event time `maxEventTime` at
    /// processing time `now`. Returns the new task watermark when it advanced.
    @discardableResult
    public mutating func observe(maxEventTime: Int64, from partition: Partition, now: Int64) -> Int64? {
        if partitions[partition] == nil { register(partition, now: now) }
        partitions[partition]!.isIdle = false
        partitions[partition]!.lastActivity = Swift.max(partitions[partition]!.lastActivity, now)
        let old = partitions[partition]!.maxEventTime
        partitions[partition]!.maxEventTime = Swift.max(old ?? maxEventTime, maxEventTime)
        return recompute()
    }

    /// Advances processing time to `now`: partitions silent for the idle timeout become
    /// idle. Returns the new task watermark when it advanced.
    ///
    /// - Complexity: O(partitions).
    @discardableResult
    public mutating func tick(now: Int64) -> Int64? {
        if let timeout = policy.idleTimeout {
            for p in order where !partitions[p]!.isIdle {
                let last = partitions[p]!.lastActivity
                if now >= last && now - last >= timeout { partitions[p]!.isIdle = true }
            }
        }
        return recompute()
    }

    /// Recomputes the task watermark from the active partitions; returns it when it advanced.
    @usableFromInline
    internal mutating func recompute() -> Int64? {
        var minimum: Int64?
        for p in order {
            let state = partitions[p]!
            guard !state.isIdle else { continue }
            let w = state.watermark(outOfOrderness: policy.outOfOrderness)
            minimum = Swift.min(minimum ?? w, w)
        }
        guard let minimum, minimum > watermark else { return nil }
        watermark = minimum
        return minimum
    }
}
