/// One session of one key: its window, partial and firing flags.
@usableFromInline
internal struct SessionPane<Partial: MergeableAggregate>: Sendable {
    @usableFromInline var window: Window
    @usableFromInline var partial: Partial
    /// Records arrived since the last emission.
    @usableFromInline var isDirty: Bool
    /// The watermark passed the end (the pane fired on time, or was born complete by a
    /// late merge and fires as late).
    @usableFromInline var hasFiredOnTime: Bool
    /// A row for exactly this window was emitted, so a merge must retract it.
    @usableFromInline var isEmitted: Bool
    /// The time of the pending timer that will revisit this session.
    @usableFromInline var timerAt: Int64

    @inlinable
    init(window: Window, partial: Partial, isDirty: Bool, hasFiredOnTime: Bool, isEmitted: Bool, timerAt: Int64) {
        self.window = window
        self.partial = partial
        self.isDirty = isDirty
        self.hasFiredOnTime = hasFiredOnTime
        self.isEmitted = isEmitted
        self.timerAt = timerAt
    }
}

/// The sessions of one key, sorted by start and pairwise disjoint.
@usableFromInline
internal struct SessionKeyState<Partial: MergeableAggregate>: Sendable {
    @usableFromInline var sessions: [SessionPane<Partial>] = []
    /// The key is in the dirty list.
    @usableFromInline var isQueued = false

    @inlinable
    init() {}
}

/// The state of a session window operator.
@usableFromInline
internal struct SessionPanes<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    @usableFromInline var keys: [Key: SessionKeyState<Partial>] = [:]
    /// Timers per key; stale ones are skipped when they pop.
    @usableFromInline var timers = TimerQueue<Key>()
    /// Keys with dirty sessions that may need an update or processing-time firing.
    @usableFromInline var dirty: [Key] = []

    @inlinable
    init() {}
}
