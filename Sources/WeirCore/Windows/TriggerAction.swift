/// A trigger's decision for one pane (one window of one group key).
public enum TriggerAction: Sendable, Hashable {
    /// Do nothing yet.
    case `continue`
    /// Emit the pane's current result and keep its state.
    case fire
    /// Drop the pane's state without emitting.
    case purge
    /// Emit the pane's current result, then drop its state.
    case fireAndPurge

    /// Whether the action emits a result.
    @inlinable
    public var fires: Bool { self == .fire || self == .fireAndPurge }

    /// Whether the action drops the pane's state.
    @inlinable
    public var purges: Bool { self == .purge || self == .fireAndPurge }
}
