/// What ``ActiveUsers/record(day:userId:)`` did with one event.
public enum ActiveUsersOutcome: Sendable, Equatable {
    /// The user's first event on that day: the day's counts changed.
    case firstActivityOfDay
    /// The user was already active that day: only the event count moved.
    case repeatActivity
    /// The event was refused and counted in ``ActiveUsers/lateEvents`` or
    /// ``ActiveUsers/outOfRangeEvents``; route it to the late output.
    case refused(ActiveUsersRefusal)

    /// Whether the event was counted.
    @inlinable
    public var isAccepted: Bool {
        if case .refused = self { return false }
        return true
    }
}

/// Why an event was refused by ``ActiveUsers``, with the days that decided it.
public struct ActiveUsersRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier of the reason.
    public enum Code: String, Sendable, CaseIterable {
        /// Older than the latest day seen minus the allowed lateness.
        case tooLate = "too_late"
        /// A day so far from the others that counting it would need absurd memory.
        case dayOutOfRange = "day_out_of_range"
    }

    /// Why.
    public var code: Code
    /// The event's day (days since 1970-01-01, UTC).
    public var day: Int
    /// The latest day seen when the event arrived.
    public var latestDay: Int
    /// The oldest day still accepted when the event arrived.
    public var oldestAcceptedDay: Int

    /// A refusal with its reason and days.
    public init(_ code: Code, day: Int, latestDay: Int, oldestAcceptedDay: Int) {
        self.code = code
        self.day = day
        self.latestDay = latestDay
        self.oldestAcceptedDay = oldestAcceptedDay
    }

    /// A sentence naming the days in ISO form.
    public var description: String {
        switch code {
        case .tooLate:
            return "\(code.rawValue): event day \(CivilDate.isoString(ofDay: day)) is older than \(CivilDate.isoString(ofDay: oldestAcceptedDay)), the oldest day still accepted (latest day \(CivilDate.isoString(ofDay: latestDay)))"
        case .dayOutOfRange:
            return "\(code.rawValue): event day \(day) is outside \(oldestAcceptedDay)...\(latestDay), the range of days this operator can hold"
        }
    }
}
