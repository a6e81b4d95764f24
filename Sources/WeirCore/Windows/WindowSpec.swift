/// A window definition: assigner + trigger, with the allowed lateness as an explicit field.
/// The aggregate is the ``WindowAggregator`` the ``WindowOperator`` is built with.
public struct WindowSpec: Sendable, Hashable {
    /// Which windows a record belongs to.
    public var assigner: WindowAssigner
    /// When panes emit.
    public var trigger: WindowTrigger
    /// How long after the watermark passes a window's end records are still added (and
    /// re-emitted) before the window is purged; later records go to the late output.
    public var allowedLateness: Int64

    /// A validated spec; throws on a bad size, slide, step, gap, interval or lateness.
    public init(
        _ assigner: WindowAssigner, trigger: WindowTrigger = .onWatermark, allowedLateness: Int64 = 0
    ) throws(WindowConfigurationError) {
        guard allowedLateness >= 0 else {
            throw WindowConfigurationError(.negativeLateness, "allowed lateness is \(allowedLateness) ms")
        }
        if case .processingTime(let interval) = trigger.early, interval <= 0 {
            throw WindowConfigurationError(.nonPositiveInterval, "interval is \(interval) ms")
        }
        self.assigner = try assigner.validated()
        self.trigger = trigger
        self.allowedLateness = allowedLateness
    }
}
