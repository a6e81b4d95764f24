import Foundation

/// An independent reference for DAU: Foundation's JSON parser and ISO 8601 formatter, no
/// Weir code. Days are UTC day numbers since 1970-01-01.
final class DAUOracle {
    private let withFraction: ISO8601DateFormatter
    private let plain: ISO8601DateFormatter

    init() {
        withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
    }

    private(set) var users: [Int: Set<String>] = [:]
    private(set) var events: [Int: Int64] = [:]
    private(set) var rejected = 0

    func add(_ payload: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let properties = object["properties"] as? [String: Any],
            let user = properties["user_id"] as? String, !user.isEmpty,
            let time = properties["timestamp"] as? String,
            let date = parse(time),
            date.timeIntervalSince1970 >= 946_684_800
        else {
            rejected += 1
            return
        }
        let day = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        users[day, default: []].insert(user)
        events[day, default: 0] += 1
    }

    /// day -> (dau, events)
    var expected: [Int: (dau: Int64, events: Int64)] {
        var result: [Int: (Int64, Int64)] = [:]
        for (day, set) in users { result[day] = (Int64(set.count), events[day] ?? 0) }
        return result
    }

    func parse(_ text: String) -> Date? {
        return withFraction.date(from: text) ?? plain.date(from: text)
    }
}
