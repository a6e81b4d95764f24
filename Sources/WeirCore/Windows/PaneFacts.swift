/// What a trigger knows about one pane when it decides.
public struct PaneFacts: Sendable, Hashable {
    /// The pane's window.
    public var window: Window
    /// Whether records reached the pane since its last emission.
    public var isDirty: Bool
    /// Whether the pane had its on-time (watermark) firing.
    public var hasFiredOnTime: Bool

    /// The facts about one pane.
    @inlinable
    public init(window: Window, isDirty: Bool, hasFiredOnTime: Bool) {
        self.window = window
        self.isDirty = isDirty
        self.hasFiredOnTime = hasFiredOnTime
    }
}
