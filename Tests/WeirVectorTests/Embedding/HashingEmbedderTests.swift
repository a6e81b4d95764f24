import Testing
import WeirVector

/// The offline embedder: deterministic, unit length, lexical.
struct HashingEmbedderTests {
    @Test func deterministicUnitVectorsOfTheConfiguredDimension() throws {
        let embedder = try HashingEmbedder(dimension: 384)
        let a = embedder.embed(text: "Stream processing with Kafka and PostgreSQL")
        let b = try HashingEmbedder(dimension: 384).embed(["Stream processing with Kafka and PostgreSQL"])[0]
        #expect(a == b)
        #expect(a.count == 384)
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    @Test func caseAndPunctuationDoNotMatterButWordsDo() throws {
        let embedder = try HashingEmbedder(dimension: 256)
        let base = embedder.embed(text: "daily active users per day")
        #expect(VectorMetric.cosine.distance(base, embedder.embed(text: "Daily, ACTIVE users -- per day!")) < 1e-5)
        let overlapping = VectorMetric.cosine.distance(base, embedder.embed(text: "active users per week"))
        let unrelated = VectorMetric.cosine.distance(base, embedder.embed(text: "vector index snapshot checksum"))
        #expect(overlapping < unrelated, "shared words must be closer: \(overlapping) vs \(unrelated)")
    }

    @Test func emptyAndSymbolOnlyTextsStillHaveADirection() throws {
        let embedder = try HashingEmbedder(dimension: 64)
        for text in ["", "   ", "?!…", "🙂"] {
            let v = embedder.embed(text: text)
            #expect(v.contains { $0 != 0 }, "'\(text)'")
            #expect(!v.contains { $0.isNaN })
        }
        #expect(embedder.embed(text: "") == embedder.embed(text: "--"))
    }

    @Test func nonASCIIWordsAreTokens() throws {
        let embedder = try HashingEmbedder(dimension: 128)
        #expect(embedder.embed(text: "Größe") == embedder.embed(text: "größe"))
        #expect(embedder.embed(text: "größe") != embedder.embed(text: "grosse"))
    }

    @Test func refusesAnAbsurdDimension() {
        #expect(throws: VectorError.self) { try HashingEmbedder(dimension: 2) }
    }
}
