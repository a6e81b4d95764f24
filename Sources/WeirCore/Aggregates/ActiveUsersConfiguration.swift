/// What an ``ActiveUsers`` operator counts: its rolling windows, how late an event may be,
/// and how many days of retention it tracks per cohort.
///
/// Each user keeps a ``ActiveUsersConfiguration/bitmapDays``-day activity bitmap. A late
/// event on day `d` changes the N-day window counts of days `d...d+N-1`, so to update them
/// exactly the bitmap must still hold day `d - N + 1`. Hence the one constraint:
/// `allowedLatenessDays + largest window <= 64`.
public struct ActiveUsersConfiguration: Sendable, Equatable {
    /// Days of history in each user's activity bitmap (one bit per day).
    public static let bitmapDays = 64

    /// Rolling windows, in days, counted for every day (1 is DAU, 7 WAU, 30 MAU): sorted,
    /// distinct, each in `1...64`.
    public let windows: [Int]
    /// How many days before the latest day seen an event may be and still count exactly.
    /// Older events are refused as late (and counted), never silently dropped.
    public let allowedLatenessDays: Int
    /// Retention is tracked for ages `0...maxRetentionAge` days after a cohort's first day.
    public let maxRetentionAge: Int

    /// The default: DAU, WAU and MAU, 34 days of allowed lateness, 30 days of retention.
    public init() {
        windows = [1, 7, 30]
        allowedLatenessDays = ActiveUsersConfiguration.bitmapDays - 30
        maxRetentionAge = 30
    }

    /// A configuration with the given windows; `allowedLatenessDays` defaults to the most
    /// the bitmap allows, `64 - windows.max()`.
    public init(windows: [Int], allowedLatenessDays: Int? = nil, maxRetentionAge: Int = 30)
        throws(ActiveUsersConfigurationError)
    {
        let sorted = Array(Set(windows)).sorted()
        guard let largest = sorted.last else {
            throw ActiveUsersConfigurationError(.noWindows, "give at least one window")
        }
        guard let smallest = sorted.first, smallest >= 1, largest <= Self.bitmapDays else {
            throw ActiveUsersConfigurationError(.windowOutOfRange, "windows must be in 1...\(Self.bitmapDays) days, got \(windows)")
        }
        let lateness = allowedLatenessDays ?? (Self.bitmapDays - largest)
        guard lateness >= 0, lateness + largest <= Self.bitmapDays else {
            throw ActiveUsersConfigurationError(
                .latenessTooLarge,
                "allowed lateness (\(lateness) days) plus the largest window (\(largest) days) must be at most \(Self.bitmapDays)")
        }
        guard maxRetentionAge >= 0, maxRetentionAge <= 3_660 else {
            throw ActiveUsersConfigurationError(.retentionOutOfRange, "max retention age must be in 0...3660 days, got \(maxRetentionAge)")
        }
        self.windows = sorted
        self.allowedLatenessDays = lateness
        self.maxRetentionAge = maxRetentionAge
    }
}

/// Why an ``ActiveUsersConfiguration`` was refused.
public struct ActiveUsersConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier of the problem.
    public enum Code: String, Sendable, CaseIterable {
        case noWindows = "no_windows"
        case windowOutOfRange = "window_out_of_range"
        case latenessTooLarge = "lateness_too_large"
        case retentionOutOfRange = "retention_out_of_range"
    }

    /// What is wrong.
    public var code: Code
    /// A human-readable explanation with the offending values.
    public var detail: String

    /// An error with its code and explanation.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }
}
