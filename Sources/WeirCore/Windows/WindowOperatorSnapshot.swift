/// A window operator's whole state as a plain value, for a task checkpoint: every open
/// pane with its partial and flags, the watermark, the early-firing schedule and the late
/// counter. Timers and work lists are derived, so they are rebuilt on restore.
///
/// ``WindowOperatorSnapshot/encode(key:partial:)`` turns it into bytes with the caller's
/// encoders for keys and partials.
public struct WindowOperatorSnapshot<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    /// One open pane: a window of one key.
    public struct Pane: Sendable {
        /// The window.
        public var window: Window
        /// The group key.
        public var key: Key
        /// The aggregate so far.
        public var partial: Partial
        /// Records arrived since the pane's last emission.
        public var isDirty: Bool
        /// The watermark passed the window's end and the pane fired (or fires as late).
        public var hasFiredOnTime: Bool
        /// A row for exactly this window was emitted (sessions: a merge must retract it).
        public var isEmitted: Bool

        /// A pane.
        public init(window: Window, key: Key, partial: Partial, isDirty: Bool, hasFiredOnTime: Bool, isEmitted: Bool) {
            self.window = window
            self.key = key
            self.partial = partial
            self.isDirty = isDirty
            self.hasFiredOnTime = hasFiredOnTime
            self.isEmitted = isEmitted
        }
    }

    /// The operator's watermark.
    public var watermark: Int64
    /// The next processing-time firing, when scheduled.
    public var nextEarlyFiring: Int64?
    /// Records sent to the late output so far.
    public var lateRecordCount: Int
    /// Every open pane, ordered by window end, then start, then first arrival of the key.
    public var panes: [Pane]

    /// A snapshot from its parts.
    public init(watermark: Int64, nextEarlyFiring: Int64?, lateRecordCount: Int, panes: [Pane]) {
        self.watermark = watermark
        self.nextEarlyFiring = nextEarlyFiring
        self.lateRecordCount = lateRecordCount
        self.panes = panes
    }
}
