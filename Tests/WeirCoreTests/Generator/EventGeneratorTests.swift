import Foundation
import Testing
import WeirCore

/// The deterministic Segment-style event stream behind `weir generate` and the demos.
struct EventGeneratorTests {
    static let configuration = EventGenerator.Configuration(
        users: 1_000, days: 3, events: 10_000, seed: 7, disorderSeconds: 300, duplicateProbability: 0.05)

    static func events(_ configuration: EventGenerator.Configuration) -> [EventGenerator.Event] {
        var generator = EventGenerator(configuration: configuration)
        var result: [EventGenerator.Event] = []
        while let event = generator.next() { result.append(event) }
        #expect(generator.next() == nil, "the stream stays finished")
        return result
    }

    /// One payload's user id and event time, read with Foundation rather than Weir's scanner.
    struct Parsed {
        var userId: String
        var millis: Int64
    }

    static func parse(_ event: EventGenerator.Event) throws -> Parsed {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.payload)) as? [String: Any])
        let properties = try #require(object["properties"] as? [String: Any])
        let userId = try #require(properties["user_id"] as? String)
        let timestamp = try #require(properties["timestamp"] as? String)
        let millis = try #require(Array(timestamp.utf8).withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) })
        return Parsed(userId: userId, millis: millis)
    }

    @Test func sameConfigurationSameBytesOtherSeedOtherBytes() {
        let a = Self.events(Self.configuration)
        #expect(a == Self.events(Self.configuration))
        var other = Self.configuration
        other.seed = 8
        let b = Self.events(other)
        #expect(a != b)
        #expect(zip(a, b).filter { $0.payload == $1.payload }.count < a.count / 100)
    }

    @Test(arguments: [(0, 0.0), (1, 0.0), (3, 1.0), (1_001, 1.0), (2_500, 0.05)])
    func emitsExactlyTheConfiguredNumberOfEvents(events: Int, duplicateProbability: Double) {
        var configuration = Self.configuration
        configuration.events = events
        configuration.duplicateProbability = duplicateProbability
        #expect(Self.events(configuration).count == events)
    }

    @Test func payloadsCarryUserIdAndTimestampWithinTheDays() throws {
        let c = Self.configuration
        let events = Self.events(c)
        let start = Int64(c.startDay) * 86_400_000
        let end = start + Int64(c.days) * 86_400_000
        for event in events {
            let parsed = try Self.parse(event)
            #expect(event.key == Array(parsed.userId.utf8))
            #expect(parsed.userId.hasPrefix("usr_"))
            #expect((start..<end).contains(parsed.millis), "\(parsed.millis) outside the configured days")
        }
    }

    /// Times printed without milliseconds are floored to the second, so they may read up to 999 ms early.
    @Test(arguments: [300, 0])
    func timesStayWithinTheDisorderOfTheirEvenlySpacedPosition(disorderSeconds: Int) throws {
        var c = Self.configuration
        c.disorderSeconds = disorderSeconds
        let events = Self.events(c)
        let span = Double(c.days) * 86_400_000
        let jitter = Int64(disorderSeconds) * 1000
        var distinct: [Int64] = []
        for (i, event) in events.enumerated() where i == 0 || event.payload != events[i - 1].payload {
            let millis = try Self.parse(event).millis
            // Times advance by stream index: a duplicate takes a slot too.
            let position = Int64(c.startDay) * 86_400_000 + Int64(Double(i) / Double(c.events) * span)
            #expect(millis - position <= jitter && position - millis < jitter + 1000, "event \(i)")
            distinct.append(millis)
        }
        let backwardSteps = zip(distinct, distinct.dropFirst()).map { $0 - $1 }
        let largestBackwardStep = try #require(backwardSteps.max())
        #expect(largestBackwardStep <= 2 * jitter + 999)
        if disorderSeconds > 0 { #expect(largestBackwardStep > jitter, "disorder should show up") }
    }

    @Test func duplicatesAreImmediateByteForByteRepeats() {
        let repeats = { (events: [EventGenerator.Event]) in
            zip(events, events.dropFirst()).filter { $0 == $1 }.count
        }
        let withDuplicates = repeats(Self.events(Self.configuration))
        #expect((300...700).contains(withDuplicates), "expected about 5%, got \(withDuplicates) of 10000")
        var none = Self.configuration
        none.duplicateProbability = 0
        #expect(repeats(Self.events(none)) == 0)
    }

    @Test func userPopularityIsSkewed() {
        var counts: [[UInt8]: Int] = [:]
        for event in Self.events(Self.configuration) { counts[event.key, default: 0] += 1 }
        let sorted = counts.values.sorted()
        let median = sorted[sorted.count / 2]
        #expect(sorted.last! >= 10 * median, "max \(sorted.last!), median \(median)")
        #expect(counts[Array("usr_1".utf8)] == sorted.last, "rank 1 is the most popular user")
        #expect(counts.count > 500, "most of the 1000 users appear")
        #expect(counts.keys.allSatisfy { Int(String(decoding: $0.dropFirst(4), as: UTF8.self)).map { (1...1_000).contains($0) } == true })
    }

    @Test(arguments: [
        (Int64(1_705_314_600_123), true, "2024-01-15T10:30:00.123Z"),
        (1_705_314_600_123, false, "2024-01-15T10:30:00Z"),
        (1_705_314_600_005, true, "2024-01-15T10:30:00.005Z"),
        (1_705_314_600_050, true, "2024-01-15T10:30:00.050Z"),
        (0, true, "1970-01-01T00:00:00.000Z"),
        (-1, true, "1969-12-31T23:59:59.999Z"),
    ])
    func rfc3339Formatting(millis: Int64, withMillis: Bool, expected: String) {
        #expect(EventGenerator.rfc3339(millis, withMillis: withMillis) == expected)
    }
}
