/// The per-day result of the daily-active-users aggregate.
public struct DayTotals: Sendable, Equatable, Hashable {
    /// Days since 1970-01-01 (UTC).
    public var day: Int
    /// Distinct users active on the day.
    public var dau: Int64
    /// Valid events on the day (duplicates included: each log record counts once).
    public var events: Int64

    public init(day: Int, dau: Int64, events: Int64) {
        self.day = day
        self.dau = dau
        self.events = events
    }
}
