/// How a task derives watermarks from event times: bounded out-of-orderness per partition,
/// and an idle timeout after which a silent partition stops holding the task back.
///
/// All times are milliseconds: event times since the epoch, the timeout in processing time
/// (the injected clock the task is driven by, never the system clock read here).
public struct WatermarkPolicy: Sendable, Hashable {
    /// How far behind the largest event time seen a record may be and still count as on
    /// time: a partition's watermark is `max event time - outOfOrderness`.
    public var outOfOrderness: Int64
    /// Processing time without a record after which a partition is idle, or `nil` to never
    /// mark partitions idle.
    public var idleTimeout: Int64?

    /// A policy; throws when `outOfOrderness` is negative or `idleTimeout` is not positive.
    public init(outOfOrderness: Int64, idleTimeout: Int64? = nil) throws(WindowConfigurationError) {
        guard outOfOrderness >= 0 else {
            throw WindowConfigurationError(.negativeOutOfOrderness, "out-of-orderness is \(outOfOrderness) ms")
        }
        if let idleTimeout, idleTimeout <= 0 {
            throw WindowConfigurationError(.nonPositiveIdleTimeout, "idle timeout is \(idleTimeout) ms")
        }
        self.outOfOrderness = outOfOrderness
        self.idleTimeout = idleTimeout
    }
}
