import Testing
import WeirCore

/// Where ``JSONFieldExtractor`` finds `properties.user_id` and `properties.timestamp`.
struct JSONFieldExtractorTests {
    static let segmentEvent = #"{"event":"user_signup","properties":{"user_id":"usr_12345","timestamp":"2024-01-15T10:30:00Z","context":{"page_url":"/signup","referrer":"google"},"traits":{"plan":"free","source":"organic"}}}"#

    func makeExtractor() -> JSONFieldExtractor {
        JSONFieldExtractor(paths: [path("properties.user_id"), path("properties.timestamp")])
    }

    func slot(_ kind: JSONValueSlot.Kind, _ needle: String, in text: String) throws -> JSONValueSlot {
        let range = try #require(byteRange(of: needle, in: text), "\(needle) not in test input")
        return JSONValueSlot(kind: kind, start: range.lowerBound, end: range.upperBound)
    }

    @Test func segmentEventSlots() throws {
        var extractor = makeExtractor()
        #expect(extractor.scanning(Self.segmentEvent) == nil)
        #expect(extractor.slots[0] == (try slot(.string, "usr_12345", in: Self.segmentEvent)))
        #expect(extractor.slots[1] == (try slot(.string, "2024-01-15T10:30:00Z", in: Self.segmentEvent)))
    }

    @Test func otherKeyOrderWhitespaceAndDecoysInNestedValues() throws {
        let text = """
             {
               "context": {"user_id": "decoy1", "properties": {"user_id": "decoy2"}},
               "list": [{"properties": {"user_id": "decoy3"}}, [1, 2, {"x": null}], "properties"],
               "properties" :\t{
                  "traits" : {"user_id":"decoy4", "timestamp": 1},
                  "timestamp"\t:\r\n 1705314600 ,
                  "user_id" : "real_user"
               }
             }\n
            """
        var extractor = makeExtractor()
        #expect(extractor.scanning(text) == nil)
        #expect(extractor.slots[0] == (try slot(.string, "real_user", in: text)))
        #expect(extractor.slots[1] == (try slot(.number, "1705314600", in: text)))
    }

    @Test func escapedStringIsMarkedAndKeepsRawRange() throws {
        let text = #"{"properties":{"user_id":"a\"b\u00e9\\","timestamp":"t"}}"#
        var extractor = makeExtractor()
        #expect(extractor.scanning(text) == nil)
        #expect(extractor.slots[0] == (try slot(.escapedString, #"a\"b\u00e9\\"#, in: text)))
        #expect(extractor.slots[1].kind == .string)
    }

    @Test(arguments: [
        ("12", JSONValueSlot.Kind.number), ("-1.5e+3", .number), ("0", .number),
        ("true", .bool), ("false", .bool), ("null", .null),
        (#"{"a":[1]}"#, .object), ("[1,{}]", .array), ("{}", .object), ("[]", .array),
    ])
    func valueKinds(value: String, kind: JSONValueSlot.Kind) throws {
        let text = #"{"properties":{"user_id":"# + value + #", "z":0}}"#
        var extractor = makeExtractor()
        #expect(extractor.scanning(text) == nil)
        #expect(extractor.slots[0] == (try slot(kind, value, in: text)))
        #expect(extractor.slots[1] == .missing)
    }

    @Test(arguments: [
        #"{"event":"x"}"#,
        #"{"properties":{}}"#,
        #"{"properties":"user_id"}"#,
        #"{"user_id":"u","timestamp":"t","properties":{"user_idx":"u","Timestamp":"t"}}"#,
        #"{"properties":{"context":{"user_id":"u","timestamp":"t"}}}"#,
        #"{"prop":{"user_id":"u","timestamp":"t"},"properties":{"user":"u","time":"t"}}"#,
        #"{"properties":[{"user_id":"u","timestamp":"t"}]}"#,
        #"[{"properties":{"user_id":"u","timestamp":"t"}}]"#,
        #""properties.user_id""#,
    ])
    func absentOrUnreachableFieldsAreMissing(text: String) {
        var extractor = makeExtractor()
        #expect(extractor.scanning(text) == nil)
        #expect(extractor.slots == [.missing, .missing])
    }

    @Test func slotsAreResetByEachScan() {
        var extractor = makeExtractor()
        #expect(extractor.scanning(Self.segmentEvent) == nil)
        #expect(extractor.slots[0].kind == .string)
        #expect(extractor.scanning(#"{"properties":{"timestamp":5}}"#) == nil)
        #expect(extractor.slots[0] == .missing)
        #expect(extractor.slots[1].kind == .number)
    }

    @Test func pathToAnObjectAndPathsSharingAPrefix() throws {
        var extractor = JSONFieldExtractor(paths: [path("properties"), path("properties.traits.plan"), path("event")])
        let text = Self.segmentEvent
        #expect(extractor.scanning(text) == nil)
        let objectStart = try #require(byteRange(of: #"{"user_id""#, in: text)).lowerBound
        #expect(extractor.slots[0] == JSONValueSlot(kind: .object, start: objectStart, end: text.utf8.count - 1))
        #expect(extractor.slots[1] == (try slot(.string, "free", in: text)))
        #expect(extractor.slots[2] == (try slot(.string, "user_signup", in: text)))
    }
}
