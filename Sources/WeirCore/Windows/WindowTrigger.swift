/// When a pane emits: the "trigger" of assigner + trigger + aggregate.
///
/// Every trigger fires once when the watermark passes the window's end (on time), fires
/// again for each batch of late-but-allowed records (late), and purges the pane when the
/// watermark passes `end + allowedLateness`. On top of that it may fire early: every
/// `interval` of processing time for panes updated since their last emission, or at the
/// end of every batch that updated the pane. Results are upserts, so each firing replaces
/// the pane's previous row.
public struct WindowTrigger: Sendable, Hashable {
    /// Early firings before the watermark completes the window.
    public enum EarlyFiring: Sendable, Hashable {
        /// None: only the final (and late) firings.
        case none
        /// Every `interval` milliseconds of processing time (aligned to multiples of it),
        /// for panes updated since their last emission.
        case processingTime(interval: Int64)
        /// At the end of every batch that updated the pane.
        case everyUpdate
    }

    /// The early firings.
    public var early: EarlyFiring

    /// A trigger with the given early firings.
    public init(early: EarlyFiring) { self.early = early }

    /// Fires only when the watermark passes the window's end (and for late updates).
    public static let onWatermark = WindowTrigger(early: .none)

    /// Also fires every `interval` milliseconds of processing time while the window is open.
    public static func periodic(every interval: Int64) throws(WindowConfigurationError) -> WindowTrigger {
        guard interval > 0 else { throw WindowConfigurationError(.nonPositiveInterval, "interval is \(interval) ms") }
        return WindowTrigger(early: .processingTime(interval: interval))
    }

    /// Also fires at the end of every batch that updated the pane.
    public static let everyUpdate = WindowTrigger(early: .everyUpdate)

    /// The decision at the end of a batch that updated the pane at watermark `watermark`:
    /// late updates and every-update triggers fire.
    @inlinable
    public func onUpdate(_ pane: PaneFacts, watermark: Int64) -> TriggerAction {
        if pane.window.end <= watermark { return .fire }
        if case .everyUpdate = early { return .fire }
        return .continue
    }

    /// The decision when the watermark reaches `watermark`.
    @inlinable
    public func onWatermark(_ pane: PaneFacts, watermark: Int64, allowedLateness: Int64) -> TriggerAction {
        if pane.window.end.saturatingAdd(allowedLateness) <= watermark {
            return pane.isDirty || !pane.hasFiredOnTime ? .fireAndPurge : .purge
        }
        if pane.window.end <= watermark && !pane.hasFiredOnTime { return .fire }
        return .continue
    }

    /// The decision at a processing-time firing (see ``nextProcessingTimeFiring(after:)``).
    @inlinable
    public func onProcessingTime(_ pane: PaneFacts, watermark: Int64) -> TriggerAction {
        guard case .processingTime = early, pane.isDirty, pane.window.end > watermark else { return .continue }
        return .fire
    }

    /// The next processing time strictly after `now` at which early firings happen, or
    /// `nil` when the trigger has none.
    @inlinable
    public func nextProcessingTimeFiring(after now: Int64) -> Int64? {
        guard case .processingTime(let interval) = early else { return nil }
        return now.flooredToMultiple(of: interval).saturatingAdd(interval)
    }
}
