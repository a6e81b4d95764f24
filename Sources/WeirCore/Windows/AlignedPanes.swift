/// One group key's state inside a window: its partial and its firing flags.
@usableFromInline
internal struct PaneGroup<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    @usableFromInline var key: Key
    @usableFromInline var partial: Partial
    /// Records arrived since the last emission.
    @usableFromInline var isDirty: Bool

    @inlinable
    init(key: Key, partial: Partial, isDirty: Bool) {
        self.key = key
        self.partial = partial
        self.isDirty = isDirty
    }
}

/// Every group of one time-aligned window, in first-arrival order.
@usableFromInline
internal struct AlignedPane<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    @usableFromInline var index: [Key: Int] = [:]
    @usableFromInline var groups: [PaneGroup<Key, Partial>] = []
    /// The watermark passed the window's end and the pane fired.
    @usableFromInline var hasFiredOnTime = false

    @inlinable
    init() {}

    /// Adds one value for `key`; returns the group's index when the group just became dirty.
    @inlinable
    mutating func accumulate<A: WindowAggregator>(_ value: A.Input, key: Key, with aggregator: A) -> Int?
    where A.Partial == Partial {
        if let i = index[key] {
            aggregator.add(value, to: &groups[i].partial)
            if groups[i].isDirty { return nil }
            groups[i].isDirty = true
            return i
        }
        let i = groups.count
        index[key] = i
        var partial = Partial()
        aggregator.add(value, to: &partial)
        groups.append(PaneGroup(key: key, partial: partial, isDirty: true))
        return i
    }
}

/// A reference to one group of one aligned window, in the dirty list.
@usableFromInline
internal struct AlignedGroupRef: Sendable {
    @usableFromInline var window: Window
    @usableFromInline var group: Int

    @inlinable
    init(window: Window, group: Int) {
        self.window = window
        self.group = group
    }
}

/// The state of a time-aligned window operator (tumbling, hopping, cumulative).
@usableFromInline
internal struct AlignedPanes<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    @usableFromInline var panes: [Window: AlignedPane<Key, Partial>] = [:]
    /// One timer per pane: at `end` before its on-time firing, at `end + lateness` after.
    @usableFromInline var timers = TimerQueue<Window>()
    /// Groups that became dirty and may need an update or processing-time firing.
    @usableFromInline var dirty: [AlignedGroupRef] = []

    @inlinable
    init() {}
}
