/// Test kit: a processing-time clock that moves only when the test says so.
///
/// Operators and trackers never read a clock; the driver passes `now` from this one, so a
/// run is deterministic.
public struct ManualClock: Sendable, Hashable {
    /// The current processing time, milliseconds.
    public private(set) var now: Int64

    /// A clock at `now`.
    public init(now: Int64 = 0) { self.now = now }

    /// Moves the clock forward by `milliseconds` (a negative step is ignored).
    public mutating func advance(by milliseconds: Int64) { now += max(0, milliseconds) }

    /// Moves the clock to `time` if that is later than now; the clock never goes back.
    public mutating func advance(to time: Int64) { now = max(now, time) }
}
