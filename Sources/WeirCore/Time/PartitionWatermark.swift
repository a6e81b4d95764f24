/// The event-time progress of one input partition, as a ``WatermarkTracker`` keeps it.
public struct PartitionWatermark: Sendable, Hashable {
    /// The largest event time seen on the partition, or `nil` before its first record.
    public var maxEventTime: Int64?
    /// Processing time of the partition's last record (or of its registration).
    public var lastActivity: Int64
    /// Whether the partition is idle: it sent nothing for the policy's idle timeout, so it
    /// does not hold the task watermark back until its next record.
    public var isIdle: Bool

    /// A partition's state; `maxEventTime` is `nil` before its first record.
    public init(maxEventTime: Int64?, lastActivity: Int64, isIdle: Bool) {
        self.maxEventTime = maxEventTime
        self.lastActivity = lastActivity
        self.isIdle = isIdle
    }

    /// The partition's own watermark: `maxEventTime - outOfOrderness` (saturating), or
    /// `Int64.min` before the first record.
    @inlinable
    public func watermark(outOfOrderness: Int64) -> Int64 {
        guard let maxEventTime else { return .min }
        let (w, overflow) = maxEventTime.subtractingReportingOverflow(outOfOrderness)
        return overflow ? .min : w
    }
}
