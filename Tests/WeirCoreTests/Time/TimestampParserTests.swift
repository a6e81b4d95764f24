import Testing
import WeirCore

/// RFC 3339 and epoch-number parsing to milliseconds since the epoch.
struct TimestampParserTests {
    static let jan15 = Int64(1_705_314_600_000)  // 2024-01-15T10:30:00Z

    func rfc3339(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
    }

    func epoch(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parseEpochNumber($0) }
    }

    @Test(arguments: [
        ("2024-01-15T10:30:00Z", jan15),
        ("2024-01-15t10:30:00z", jan15),
        ("2024-01-15 10:30:00Z", jan15),
        ("2024-01-15T10:30:00.1Z", jan15 + 100),
        ("2024-01-15T10:30:00.123Z", jan15 + 123),
        ("2024-01-15T10:30:00.123456Z", jan15 + 123),
        ("2024-01-15T10:30:00.999999999Z", jan15 + 999),
        ("2024-01-15T12:30:00+02:00", jan15),
        ("2024-01-15T05:00:00-05:30", jan15),
        ("2024-01-15T12:30:00.250+02:00", jan15 + 250),
        ("2024-01-15T10:30:00+00:00", jan15),
        ("2024-01-15T10:30:00-00:00", jan15),
        ("2024-01-01T00:30:00+01:00", 1_704_065_400_000),  // 2023-12-31T23:30:00Z
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2000-02-29T23:59:59Z", 951_868_799_000),
        ("2024-12-31T23:59:59.999Z", 1_735_689_599_999),
    ])
    func acceptsRFC3339(text: String, millis: Int64) {
        #expect(rfc3339(text) == millis)
    }

    @Test(arguments: [
        "2024-13-15T10:30:00Z", "2024-00-15T10:30:00Z", "2024-02-30T10:30:00Z", "2024-04-31T10:30:00Z",
        "2024-01-00T10:30:00Z", "2024-01-15T24:00:00Z", "2024-01-15T10:60:00Z", "2024-01-15T10:30:61Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2024-01-15T10:30:00", "2024-01-15T10:30:00.123", "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00ZZ",
        "2024-01-15T10:30:00+0200", "2024-01-15T10:30:00+02", "2024-01-15T10:30:00+24:00", "2024-01-15T10:30:00+02:60",
        "2024-01-15X10:30:00Z", "2024/01/15T10:30:00Z", "2024-01-15T10-30-00Z", "2024-1-15T10:30:00Z",
        "", "Z", "not a timestamp at all", "2024-01-15", "１２３４-01-15T10:30:00Z", "2024-01-15T10:30:00 Z",
    ])
    func rejectsInvalidRFC3339(text: String) {
        #expect(rfc3339(text) == nil)
    }

    @Test(arguments: [
        ("1705314600", jan15),
        ("1705314600000", jan15),
        ("1705314600.5", jan15 + 500),
        ("1705314600.123456", jan15 + 123),
        ("0", 0),
        ("-1", -1000),
        ("99999999999", 99_999_999_999_000),  // just below 10^11: still seconds
        ("100000000000", 100_000_000_000),  // 10^11: milliseconds
        ("1705314600000.7", jan15),  // fractions of milliseconds are dropped
    ])
    func acceptsEpochNumbers(text: String, millis: Int64) {
        #expect(epoch(text) == millis)
    }

    @Test(arguments: ["1.7e9", "1705314600E0", "", "-", "abc", "12a", "1,5", " 12", "+12", "99999999999999999999"])
    func rejectsOtherEpochText(text: String) {
        #expect(epoch(text) == nil)
    }
}
