import Testing
import WeirCore

/// ``ActivityEventDecoder`` accepts good events and names the reason for every refusal.
struct ActivityEventDecoderTests {
    static let jan15 = Int64(1_705_314_600_000)  // 2024-01-15T10:30:00Z
    static let now = jan15 + 3_600_000
    static let briefEvent = #"{"event":"user_signup","properties":{"user_id":"usr_12345","timestamp":"2024-01-15T10:30:00Z","context":{"page_url":"/signup","referrer":"google"},"traits":{"plan":"free","source":"organic"}}}"#

    enum Outcome: Equatable, CustomStringConvertible {
        case accepted(user: [UInt8], millis: Int64)
        case refused(DeadLetterReason.Code)
        /// Neither accepted nor refused: a decoder bug.
        case silent

        var description: String {
            switch self {
            case .accepted(let user, let millis): "accepted(\(String(decoding: user, as: UTF8.self)), \(millis))"
            case .refused(let code): "refused(\(code.rawValue))"
            case .silent: "silent"
            }
        }
    }

    static func decode(_ decoder: inout ActivityEventDecoder, _ payload: [UInt8], now: Int64 = now) -> (Outcome, DeadLetterReason?) {
        var accepted: Outcome?
        let reason = payload.withUnsafeBufferPointer { buffer in
            decoder.decode(buffer, nowMillis: now) { user, millis in accepted = .accepted(user: Array(user), millis: millis) }
        }
        if let reason { return (.refused(reason.code), reason) }
        return (accepted ?? .silent, nil)
    }

    static func decode(_ payload: String, _ configuration: ActivityEventDecoder.Configuration = .init(), now: Int64 = now) -> Outcome {
        var decoder = ActivityEventDecoder(configuration: configuration)
        return decode(&decoder, Array(payload.utf8), now: now).0
    }

    /// An event whose `properties` hold `members` verbatim.
    static func event(_ members: String) -> String { #"{"event":"x","properties":{"# + members + "}}" }
    static func event(user: String, time: String = #""2024-01-15T10:30:00Z""#) -> String {
        event(#""user_id":"# + user + #","timestamp":"# + time)
    }

    @Test func acceptsTheProductBriefEvent() {
        #expect(Self.decode(Self.briefEvent) == .accepted(user: Array("usr_12345".utf8), millis: Self.jan15))
    }

    @Test(arguments: [
        (#"12345"#, "12345"),
        (#"-7"#, "-7"),
        (#""usr_\u00e9\"x\\""#, #"usr_é"x\"#),
        (#""\ud83d\ude00""#, "😀"),
        (#""日本""#, "日本"),
        (#""a b""#, "a b"),
    ])
    func acceptedUserIds(json: String, expected: String) {
        #expect(Self.decode(Self.event(user: json)) == .accepted(user: Array(expected.utf8), millis: Self.jan15))
    }

    @Test(arguments: [
        (#"1705314600"#, jan15),
        (#"1705314600000"#, jan15),
        (#"1705314600.25"#, jan15 + 250),
        (#""2024-01-15T11:30:00.5+01:00""#, jan15 + 500),
        (#""2000-01-01T00:00:00Z""#, 946_684_800_000),  // the default minimum itself
    ])
    func acceptedTimestamps(json: String, millis: Int64) {
        #expect(Self.decode(Self.event(user: #""u""#, time: json)) == .accepted(user: [0x75], millis: millis))
    }

    static let userFieldCodes: Set<DeadLetterReason.Code> = [.missingUserId, .invalidUserId]
    static let timeFieldCodes: Set<DeadLetterReason.Code> = [.missingTimestamp, .invalidTimestamp, .timestampOutOfRange]

    /// One payload per refusal, decoded with `maxMessageBytes` 512 and `now`.
    static let refusals: [(String, [UInt8], DeadLetterReason.Code)] = [
        ("malformed JSON", Array(#"{"properties":{"user_id":"u""#.utf8), .malformedJSON),
        ("bare text", Array("hello".utf8), .malformedJSON),
        ("missing user id", Array(event(#""timestamp":"2024-01-15T10:30:00Z""#).utf8), .missingUserId),
        ("null user id", Array(event(user: "null").utf8), .missingUserId),
        ("object user id", Array(event(user: #"{"id":1}"#).utf8), .invalidUserId),
        ("array user id", Array(event(user: #"["u"]"#).utf8), .invalidUserId),
        ("bool user id", Array(event(user: "true").utf8), .invalidUserId),
        ("empty user id", Array(event(user: #""""#).utf8), .invalidUserId),
        ("too long user id", Array(event(user: "\"" + String(repeating: "a", count: 257) + "\"").utf8), .invalidUserId),
        ("invalid UTF-8 user id", Array(#"{"properties":{"user_id":"ab"#.utf8) + [0xC3, 0x28] + Array(#"","timestamp":"2024-01-15T10:30:00Z"}}"#.utf8), .invalidUserId),
        ("lone continuation byte", Array(#"{"properties":{"user_id":"a"#.utf8) + [0x80] + Array(#"","timestamp":1705314600}}"#.utf8), .invalidUserId),
        ("escaped NUL in user id", Array(event(user: #""a\u0000""#).utf8), .invalidUserId),
        ("unpaired surrogate", Array(event(user: #""\ud800""#).utf8), .invalidUserId),
        ("missing timestamp", Array(event(#""user_id":"u""#).utf8), .missingTimestamp),
        ("null timestamp", Array(event(user: #""u""#, time: "null").utf8), .missingTimestamp),
        ("unparseable timestamp", Array(event(user: #""u""#, time: #""yesterday""#).utf8), .invalidTimestamp),
        ("bool timestamp", Array(event(user: #""u""#, time: "true").utf8), .invalidTimestamp),
        ("exponent timestamp", Array(event(user: #""u""#, time: "1.7e9").utf8), .invalidTimestamp),
        ("1970 timestamp", Array(event(user: #""u""#, time: #""1970-01-02T00:00:00Z""#).utf8), .timestampOutOfRange),
        ("epoch zero", Array(event(user: #""u""#, time: "0").utf8), .timestampOutOfRange),
        ("just before 2000", Array(event(user: #""u""#, time: #""1999-12-31T23:59:59.999Z""#).utf8), .timestampOutOfRange),
        ("a day and a second ahead", Array(event(user: #""u""#, time: "\(now / 1000 + 86_401)").utf8), .timestampOutOfRange),
        ("next year", Array(event(user: #""u""#, time: #""2025-01-15T10:30:00Z""#).utf8), .timestampOutOfRange),
        ("oversize", Array(event(user: #""u""#).utf8) + Array(repeating: 0x20, count: 512), .oversizeMessage),
        ("empty payload", [], .emptyMessage),
    ]

    @Test(arguments: ActivityEventDecoderTests.refusals)
    func refused(label: String, payload: [UInt8], code: DeadLetterReason.Code) {
        var decoder = ActivityEventDecoder(configuration: .init(maxMessageBytes: 512))
        let (outcome, reason) = Self.decode(&decoder, payload)
        #expect(outcome == .refused(code), "\(label)")
        if Self.userFieldCodes.contains(code) { #expect(reason?.detail.contains("properties.user_id") == true, "\(label)") }
        if Self.timeFieldCodes.contains(code) { #expect(reason?.detail.contains("properties.timestamp") == true, "\(label)") }
    }

    @Test func everyReasonCodeHasARefusalCase() {
        #expect(Set(Self.refusals.map(\.2)) == Set(DeadLetterReason.Code.activityEventCodes))
    }

    @Test func boundaries() {
        let longest = "\"" + String(repeating: "a", count: 256) + "\""
        #expect(Self.decode(Self.event(user: longest)) == .accepted(user: Array(repeating: 0x61, count: 256), millis: Self.jan15))
        let limit = Self.now + 86_400_000
        #expect(Self.decode(Self.event(user: #""u""#, time: "\(limit)")) == .accepted(user: [0x75], millis: limit))
        #expect(Self.decode(Self.event(user: #""u""#, time: "\(limit + 1)")) == .refused(.timestampOutOfRange))

        let small = ActivityEventDecoder.Configuration(maxMessageBytes: 64)
        let body = #"{"properties":{"user_id":"u","timestamp":1705314600}}"#
        let exact = body + String(repeating: " ", count: 64 - body.utf8.count)
        #expect(Self.decode(exact, small) == .accepted(user: [0x75], millis: Self.jan15))
        #expect(Self.decode(exact + " ", small) == .refused(.oversizeMessage))
    }

    @Test func customFieldPathsAndLimits() {
        let configuration = ActivityEventDecoder.Configuration(
            userIdField: path("uid"), timestampField: path("meta.ts"), minTimestampMillis: 0, maxUserIdBytes: 3)
        #expect(Self.decode(#"{"uid":"abc","meta":{"ts":"1970-01-02T00:00:00Z"}}"#, configuration) == .accepted(user: Array("abc".utf8), millis: 86_400_000))
        #expect(Self.decode(#"{"uid":"abcd","meta":{"ts":1}}"#, configuration) == .refused(.invalidUserId))
        #expect(Self.decode(Self.briefEvent, configuration) == .refused(.missingUserId))
    }

    @Test func reusedDecoderDoesNotLeakEscapedBytes() {
        var decoder = ActivityEventDecoder()
        let payloads = [#""a\u00e9b""#, #""bob""#, #""x\\""#, #""""#, #""z""#]
        let outcomes = payloads.map { Self.decode(&decoder, Array(Self.event(user: $0).utf8)).0 }
        #expect(outcomes == [
            .accepted(user: Array("aéb".utf8), millis: Self.jan15),
            .accepted(user: Array("bob".utf8), millis: Self.jan15),
            .accepted(user: Array(#"x\"#.utf8), millis: Self.jan15),
            .refused(.invalidUserId),
            .accepted(user: Array("z".utf8), millis: Self.jan15),
        ])
    }
}
