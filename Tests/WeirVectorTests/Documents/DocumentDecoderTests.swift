import Testing
import WeirCore
import WeirVector

/// Document records: upserts, tombstones, carried vectors, and refusals with their codes.
struct DocumentDecoderTests {
    static func decode(_ json: String?, key: String? = "k", dimension: Int = 3) -> Result<DocumentChange, DeadLetterReason> {
        var decoder = DocumentDecoder(configuration: .init(maxMessageBytes: 4096, dimension: dimension))
        let payload = Array((json ?? "").utf8)
        let keyBytes = key.map { Array($0.utf8) }
        return payload.withUnsafeBufferPointer { p in
            if let keyBytes {
                return keyBytes.withUnsafeBufferPointer { k in decoder.decode(payload: p, key: k, isTombstone: json == nil) }
            }
            return decoder.decode(payload: p, key: nil, isTombstone: json == nil)
        }
    }

    @Test func upsertWithMetadataAndEscapes() throws {
        let change = try Self.decode(#"{"document_id":"d\u00e9-1","content":"line\nbreak","metadata":{"status":"active","n":3,"ok":true,"x":null,"nested":{"a":1},"q":"\"hi\""}}"#).get()
        guard case .upsert(let document) = change else { Issue.record("expected an upsert"); return }
        #expect(document.id == "dé-1")
        #expect(document.content == "line\nbreak")
        #expect(document.metadata == ["status": "active", "n": "3", "ok": "true", "q": "\"hi\""])
        #expect(document.metadataJSON.hasPrefix("{\"status\""))
        #expect(document.embedding == nil)
    }

    @Test func carriedEmbeddingAndMissingContent() throws {
        let change = try Self.decode(#"{"document_id":"v","embedding":[1, -2.5, 3e-1]}"#).get()
        guard case .upsert(let document) = change else { Issue.record("expected an upsert"); return }
        #expect(document.embedding == [1, -2.5, 0.3])
        #expect(document.content == "")
        #expect(document.metadataJSON == "{}")
    }

    @Test func tombstoneUsesTheKey() throws {
        #expect(try Self.decode(nil, key: "doc-9").get() == .delete(id: "doc-9"))
        #expect(Self.failureCode(Self.decode(nil, key: nil)) == .missingDocumentId)
    }

    @Test(arguments: [
        ("{", DeadLetterReason.Code.malformedJSON),
        ("", .emptyMessage),
        (#"{"content":"x"}"#, .missingDocumentId),
        (#"{"document_id":7,"content":"x"}"#, .invalidDocumentId),
        (#"{"document_id":"","content":"x"}"#, .invalidDocumentId),
        (#"{"document_id":"a"}"#, .missingContent),
        (#"{"document_id":"a","content":5}"#, .invalidContent),
        (#"{"document_id":"a","content":"nul \u0000"}"#, .invalidContent),
        (#"{"document_id":"a","content":"x","metadata":"status=active"}"#, .invalidMetadata),
        (#"{"document_id":"a","content":"x","metadata":{"k":"\u0000"}}"#, .invalidMetadata),
        (#"{"document_id":"a","content":"x","embedding":[1,2]}"#, .invalidEmbedding),
        (#"{"document_id":"a","content":"x","embedding":[0,0,0]}"#, .invalidEmbedding),
        (#"{"document_id":"a","content":"x","embedding":[1,"2",3]}"#, .invalidEmbedding),
        (#"{"document_id":"a","content":"x","embedding":"[1,2,3]"}"#, .invalidEmbedding),
    ])
    func refusals(json: String, code: DeadLetterReason.Code) {
        #expect(Self.failureCode(Self.decode(json)) == code, "\(json)")
    }

    @Test func idLimitIsCharactersNotBytes() throws {
        let ok = String(repeating: "é", count: 255)
        #expect((try? Self.decode("{\"document_id\":\"\(ok)\",\"content\":\"x\"}").get()) != nil)
        #expect(Self.failureCode(Self.decode("{\"document_id\":\"\(ok)é\",\"content\":\"x\"}")) == .invalidDocumentId)
        // VARCHAR(255) counts code points: 200 "e" + combining acute are 200 graphemes but 400 characters to PostgreSQL.
        let combining = String(repeating: "e\u{301}", count: 200)
        #expect(combining.count == 200)
        #expect(Self.failureCode(Self.decode("{\"document_id\":\"\(combining)\",\"content\":\"x\"}")) == .invalidDocumentId)
    }

    static func failureCode(_ result: Result<DocumentChange, DeadLetterReason>) -> DeadLetterReason.Code? {
        if case .failure(let reason) = result { return reason.code }
        return nil
    }
}
