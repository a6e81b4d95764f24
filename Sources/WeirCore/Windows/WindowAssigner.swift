/// Which windows a record belongs to: the "assigner" of assigner + trigger + aggregate.
///
/// Time-aligned kinds (tumbling, hopping, cumulative) are aligned to the epoch; a session
/// window is a record's `[t, t + gap)`, merged with every session of the same key it
/// overlaps. Build one with the throwing factories, which validate the sizes.
public enum WindowAssigner: Sendable, Hashable {
    /// Fixed, non-overlapping windows `[k·size, (k+1)·size)`.
    case tumbling(size: Int64)
    /// Windows of `size` starting every `slide` (`slide <= size`): a record is in `size/slide` windows.
    case hopping(size: Int64, slide: Int64)
    /// Per key, activity separated by less than `gap`: records closer than `gap` share a session.
    case session(gap: Int64)
    /// Windows `[s, s + k·step)` for `k = 1 … size/step` within each period `[s, s + size)`:
    /// a day that reports every hour, each result covering the day so far.
    case cumulative(size: Int64, step: Int64)

    /// Tumbling windows of `size` milliseconds.
    public static func tumbling(_ size: Int64) throws(WindowConfigurationError) -> WindowAssigner {
        try checkSize(size)
        return .tumbling(size: size)
    }

    /// Hopping windows of `size` milliseconds starting every `slide` milliseconds.
    public static func hopping(_ size: Int64, slide: Int64) throws(WindowConfigurationError) -> WindowAssigner {
        try checkSize(size)
        guard slide > 0, slide <= size else {
            throw WindowConfigurationError(.invalidSlide, "slide \(slide) ms for size \(size) ms; need 0 < slide <= size")
        }
        return .hopping(size: size, slide: slide)
    }

    /// Session windows that close after `gap` milliseconds without a record of the key.
    public static func session(_ gap: Int64) throws(WindowConfigurationError) -> WindowAssigner {
        guard gap > 0 else { throw WindowConfigurationError(.nonPositiveGap, "gap is \(gap) ms") }
        return .session(gap: gap)
    }

    /// Cumulative windows over periods of `size` milliseconds, emitting every `step`.
    public static func cumulative(_ size: Int64, step: Int64) throws(WindowConfigurationError) -> WindowAssigner {
        try checkSize(size)
        guard step > 0, step <= size, size % step == 0 else {
            throw WindowConfigurationError(.invalidStep, "step \(step) ms for size \(size) ms; need a step that divides the size")
        }
        return .cumulative(size: size, step: step)
    }

    private static func checkSize(_ size: Int64) throws(WindowConfigurationError) {
        guard size > 0 else { throw WindowConfigurationError(.nonPositiveSize, "size is \(size) ms") }
    }

    /// Re-checks an assigner built with the enum cases directly.
    public func validated() throws(WindowConfigurationError) -> WindowAssigner {
        switch self {
        case .tumbling(let size): return try .tumbling(size)
        case .hopping(let size, let slide): return try .hopping(size, slide: slide)
        case .session(let gap): return try .session(gap)
        case .cumulative(let size, let step): return try .cumulative(size, step: step)
        }
    }

    /// Whether windows of this kind merge (sessions).
    @inlinable
    public var isMerging: Bool {
        if case .session = self { return true }
        return false
    }

    /// The largest `end` among the windows that contain `eventTime`. For a session it is
    /// the end of the record's own window, `eventTime + gap`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func latestEnd(containing eventTime: Int64) -> Int64 {
        switch self {
        case .tumbling(let size):
            return eventTime.flooredToMultiple(of: size).saturatingAdd(size)
        case .hopping(let size, let slide):
            return eventTime.flooredToMultiple(of: slide).saturatingAdd(size)
        case .session(let gap):
            return eventTime.saturatingAdd(gap)
        case .cumulative(let size, _):
            return eventTime.flooredToMultiple(of: size).saturatingAdd(size)
        }
    }

    /// Every window that contains `eventTime`, latest end first, without allocating. For a
    /// session it is the record's own window `[eventTime, eventTime + gap)`.
    ///
    /// - Complexity: O(windows per record): 1, `size/slide` or `size/step`.
    @inlinable
    public func assignedWindows(containing eventTime: Int64) -> AssignedWindows {
        AssignedWindows(self, containing: eventTime)
    }

    /// Every window containing `eventTime`, latest end first (allocates; for tests and tools).
    public func windows(containing eventTime: Int64) -> [Window] {
        Array(assignedWindows(containing: eventTime))
    }
}
