/// When, relative to the watermark, a result was emitted (Beam's pane timing).
public enum FiringTiming: String, Sendable, Hashable {
    /// Before the watermark passed the window's end: a partial view of an open window.
    case early
    /// When the watermark passed the window's end.
    case onTime
    /// After that, because late-but-allowed records changed the result.
    case late
}

/// One result row: the aggregate of one window and group key. Rows are upserts keyed by
/// (window, key): a later row for the same pair replaces the earlier one.
public struct WindowResult<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    /// The window.
    public var window: Window
    /// The group key.
    public var key: Key
    /// The aggregate of the pane's records so far.
    public var value: Partial
    /// Early, on time or late.
    public var timing: FiringTiming

    /// A result row.
    @inlinable
    public init(window: Window, key: Key, value: Partial, timing: FiringTiming) {
        self.window = window
        self.key = key
        self.value = value
        self.timing = timing
    }
}

extension WindowResult: Equatable where Partial: Equatable {}

/// What a window operator asks its sink to do with the upsert table keyed by (window, key).
public enum WindowEmission<Key: Hashable & Sendable, Partial: MergeableAggregate>: Sendable {
    /// Insert or replace the row for `result.window` and `result.key`.
    case upsert(WindowResult<Key, Partial>)
    /// Delete the row for a session window that was emitted and then merged into a larger
    /// session (whose row comes in a later `upsert`).
    case retract(window: Window, key: Key)
}

extension WindowEmission: Equatable where Partial: Equatable {}
