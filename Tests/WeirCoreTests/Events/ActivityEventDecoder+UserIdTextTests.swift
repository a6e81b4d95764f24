import Testing
import WeirCore

/// The word-at-a-time user-id text check: a bad byte at any position of ids of any length
/// is still found, and good non-ASCII ids still pass.
struct ActivityEventDecoderUserIdTextTests {
    static let now = Int64(1_705_314_600_000)

    static func outcome(_ user: [UInt8]) -> DeadLetterReason.Code? {
        let payload = Array(#"{"properties":{"timestamp":1705314600,"user_id":""#.utf8) + user + Array(#""}}"#.utf8)
        var decoder = ActivityEventDecoder()
        var accepted = false
        let reason = payload.withUnsafeBufferPointer { decoder.decode($0, nowMillis: now) { _, _ in accepted = true } }
        return reason?.code ?? (accepted ? nil : .malformedJSON)
    }

    @Test func everyPositionOfEveryLengthIsChecked() {
        for length in 1...24 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(Self.outcome(plain) == nil, "length \(length)")
            for at in 0..<length {
                var invalid = plain
                invalid[at] = 0xFF
                #expect(Self.outcome(invalid) == .invalidUserId, "0xFF at \(at) of \(length)")
                var nul = plain
                nul.replaceSubrange(at...at, with: Array(#"\u0000"#.utf8))
                #expect(Self.outcome(nul) == .invalidUserId, "NUL at \(at) of \(length)")
                var accent = plain
                accent.replaceSubrange(at...at, with: Array("é".utf8))
                #expect(Self.outcome(accent) == nil, "é at \(at) of \(length)")
                var truncated = plain
                truncated[at] = 0xC3  // a lead byte without its continuation
                #expect(Self.outcome(truncated) == .invalidUserId, "lone lead byte at \(at) of \(length)")
            }
        }
    }
}
