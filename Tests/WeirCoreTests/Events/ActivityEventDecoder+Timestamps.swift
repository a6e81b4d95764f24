import Testing
import WeirCore

/// The decoder's cached-date path for RFC 3339 strings must agree with
/// ``TimestampParser/parseRFC3339(_:)`` on every input, whatever it decoded before.
struct ActivityEventDecoderTimestampTests {
    static let now = Int64(4_102_444_800_000)  // 2100-01-01

    /// A timestamp near a few dates, in cacheable and other shapes, sometimes corrupted.
    static func randomTimestamp(_ random: inout SplitMix64) -> String {
        let dates = ["2024-01-15", "2024-01-16", "2024-02-29", "2023-02-29", "2024-13-01", "2024-12-31", "1999-12-31", "2024-1-015"]
        let separators = ["T", "t", " ", "x"]
        var text = dates[random.below(dates.count)] + separators[random.below(random.below(4) == 0 ? 4 : 1)]
        text += String(format2(random.below(26))) + ":" + format2(random.below(62)) + ":" + format2(random.below(63))
        switch random.below(6) {
        case 0: text += "." + String(random.below(1000)).leftPadded(3)
        case 1: text += "." + String(random.below(10))
        case 2: text += ".123456"
        default: break
        }
        let zones = ["Z", "z", "+01:00", "-00:30", "", "ZZ"]
        text += zones[random.below(random.below(3) == 0 ? zones.count : 2)]
        if random.below(10) == 0 {
            var bytes = Array(text.utf8)
            bytes[random.below(bytes.count)] = Array("0:.Z-T9a".utf8)[random.below(8)]
            text = String(decoding: bytes, as: UTF8.self)
        }
        return text
    }

    static func format2(_ v: Int) -> String { String(v).leftPadded(2) }

    @Test func cachedDatesAgreeWithTheFullParser() {
        let seed = TestSeed.value(default: 0x5EED_DA7E)
        var random = SplitMix64(seed: seed)
        var decoder = ActivityEventDecoder()
        var hits = 0
        for n in 0..<20_000 {
            let time = Self.randomTimestamp(&random)
            let expected = Array(time.utf8).withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
            let payload = Array(#"{"properties":{"user_id":"u","timestamp":"\#(time)"}}"#.utf8)
            var got: Int64?
            let reason = payload.withUnsafeBufferPointer { buffer in
                decoder.decode(buffer, nowMillis: Self.now) { _, millis in got = millis }
            }
            if let expected, expected >= 946_684_800_000, expected <= Self.now + 86_400_000 {
                #expect(got == expected && reason == nil, "seed \(seed), #\(n): \(time)")
                hits += 1
            } else if expected == nil {
                #expect(reason?.code == .invalidTimestamp, "seed \(seed), #\(n): \(time)")
            } else {
                #expect(reason?.code == .timestampOutOfRange, "seed \(seed), #\(n): \(time)")
            }
        }
        #expect(hits > 5_000)
    }

    /// Every byte value at every position of the two cached shapes, each decoded right
    /// after a valid timestamp of the same date has primed the cache, against the full parser.
    @Test func everySingleByteChangeOfACachedShapeAgreesWithTheFullParser() {
        var decoder = ActivityEventDecoder()
        func decode(_ time: [UInt8]) -> (millis: Int64?, reason: DeadLetterReason?) {
            let payload = Array(#"{"properties":{"user_id":"u","timestamp":""#.utf8) + time + Array(#""}}"#.utf8)
            var got: Int64?
            let reason = payload.withUnsafeBufferPointer { buffer in
                decoder.decode(buffer, nowMillis: Self.now) { _, millis in got = millis }
            }
            return (got, reason)
        }
        var checked = 0
        for valid in ["2024-01-15T12:34:56Z", "2024-01-15T23:59:60.999Z"] {
            let bytes = Array(valid.utf8)
            for position in bytes.indices {
                for value in 0...255 where value != 0x22 && value != 0x5C && value >= 0x20 {
                    var changed = bytes
                    changed[position] = UInt8(value)
                    #expect(decode(bytes).millis != nil)  // primes the cache with this date
                    let expected = changed.withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
                    let got = decode(changed)
                    let accepted = expected.map { $0 >= 946_684_800_000 && $0 <= Self.now + 86_400_000 } ?? false
                    #expect(got.millis == (accepted ? expected : nil), "byte \(value) at \(position) of \(valid)")
                    checked += 1
                }
            }
        }
        #expect(checked == 44 * 222)  // 20 + 24 positions, 222 values that keep the JSON string plain
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
