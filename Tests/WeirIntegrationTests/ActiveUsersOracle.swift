import Foundation

/// An independent reference for the `active_users` topology: Foundation's JSON parser and
/// ISO 8601 formatter, no Weir code. From the raw payloads it keeps every user's set of
/// active days and computes, by brute force, what the views must hold:
/// - per day (first event day through the last): DAU, events, and the distinct users of the
///   7- and 30-day windows ending on the day;
/// - retention: cohort = a user's first active day, cell (cohort, age) = users of the
///   cohort active on cohort + age, for ages 0...`maxRetentionAge`, non-empty cells only.
/// Days are UTC day numbers since 1970-01-01.
final class ActiveUsersOracle {
    struct Day: Equatable, CustomStringConvertible {
        var dau: Int64
        var wau: Int64
        var mau: Int64
        var events: Int64
        var description: String { "dau \(dau) wau \(wau) mau \(mau) events \(events)" }
    }

    struct Cell: Hashable, CustomStringConvertible {
        var cohort: Int
        var age: Int
        var description: String { "cohort \(cohort) age \(age)" }
    }

    private let withFraction: ISO8601DateFormatter
    private let plain: ISO8601DateFormatter
    let maxRetentionAge: Int

    /// user -> active days.
    private(set) var userDays: [String: Set<Int>] = [:]
    private(set) var events: [Int: Int64] = [:]
    private(set) var rejected = 0
    private(set) var accepted = 0

    init(maxRetentionAge: Int = 30) {
        self.maxRetentionAge = maxRetentionAge
        withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
    }

    /// The user id of a payload, or nil when it is not a valid event.
    func user(of payload: [UInt8]) -> String? { parse(payload)?.user }

    private func parse(_ payload: [UInt8]) -> (user: String, day: Int)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let properties = object["properties"] as? [String: Any],
            let user = properties["user_id"] as? String, !user.isEmpty,
            let time = properties["timestamp"] as? String,
            let date = withFraction.date(from: time) ?? plain.date(from: time),
            date.timeIntervalSince1970 >= 946_684_800
        else { return nil }
        return (user, Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    func add(_ payload: [UInt8]) {
        guard let (user, day) = parse(payload) else {
            rejected += 1
            return
        }
        accepted += 1
        userDays[user, default: []].insert(day)
        events[day, default: 0] += 1
    }

    var firstDay: Int? { events.keys.min() }
    var lastDay: Int? { events.keys.max() }

    /// Distinct users with an active day in `(day - length + 1)...day`.
    func activeUsers(endingOn day: Int, length: Int) -> Int64 {
        let range = (day - length + 1)...day
        return Int64(userDays.values.filter { days in days.contains { range.contains($0) } }.count)
    }

    /// Every day from the first event day through the last.
    var days: [Int: Day] {
        guard let first = firstDay, let last = lastDay else { return [:] }
        var result: [Int: Day] = [:]
        for day in first...last {
            result[day] = Day(
                dau: activeUsers(endingOn: day, length: 1), wau: activeUsers(endingOn: day, length: 7),
                mau: activeUsers(endingOn: day, length: 30), events: events[day] ?? 0)
        }
        return result
    }

    /// The non-empty retention cells.
    var retention: [Cell: Int64] {
        var result: [Cell: Int64] = [:]
        for days in userDays.values {
            guard let cohort = days.min() else { continue }
            for d in days where d - cohort <= maxRetentionAge {
                result[Cell(cohort: cohort, age: d - cohort), default: 0] += 1
            }
        }
        return result
    }
}

