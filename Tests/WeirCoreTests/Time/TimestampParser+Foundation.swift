import Foundation
import Testing
import WeirCore

/// Cross-checks ``TimestampParser`` against Foundation's `ISO8601DateFormatter`.
struct TimestampParserFoundationTests {
    func rfc3339(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
    }

    @Test func agreesWithFoundationOnRandomInstants() throws {
        let seed = TestSeed.value(default: 0x5EED_0003)
        var random = SplitMix64(seed: seed)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let low = Int64(31_536_000)  // 1971-01-01
        let high = Int64(4_102_444_800)  // 2100-01-01
        var withOffset = 0
        for n in 0..<400 {
            let seconds = low + Int64(random.next() % UInt64(high - low))
            let offsetMinutes = (random.below(27 * 60) - 12 * 60) / 15 * 15
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(rfc3339(text) == seconds * 1000, "seed \(seed), instant \(n): \(text)")
            if !text.hasSuffix("Z") { withOffset += 1 }

            // Foundation reads our fractional form back to the same millisecond.
            let millis = seconds * 1000 + Int64(random.below(1000))
            let ours = EventGenerator.rfc3339(millis, withMillis: true)
            #expect(rfc3339(ours) == millis, "seed \(seed), instant \(n): \(ours)")
            let date = try #require(fractional.date(from: ours), "seed \(seed): Foundation refused \(ours)")
            #expect(Int64((date.timeIntervalSince1970 * 1000).rounded()) == millis, "seed \(seed), instant \(n): \(ours)")
        }
        #expect(withOffset > 300, "seed \(seed): most instants should be written with a ±HH:MM offset")
    }
}
