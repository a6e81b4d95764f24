import Testing
import WeirVector
import WeirCore

/// Snapshot round trips: identical answers without a rebuild, and typed errors for bytes that
/// cannot be trusted.
@Suite struct HNSWIndexSnapshotTests {
    static let seed: UInt64 = 0x5_1A95
    static let data = VectorSet.clustered(count: 3_200, dimension: 24, clusters: 24, seed: seed)

    /// 3,000 documents with metadata, a few replaced and removed (so tombstones are saved too).
    static func makeIndex(metric: VectorMetric) throws -> HNSWIndex {
        let index = try HNSWIndex(
            configuration: HNSWConfiguration(dimension: 24, metric: metric, m: 12, efConstruction: 80, efSearch: 50, seed: seed))
        for row in 0..<3_000 {
            try index.insert(id: "doc-\(row)", vector: data.row(row), metadata: ["status": row % 4 == 0 ? "active" : "old", "n": "\(row)"])
        }
        for row in stride(from: 0, to: 3_000, by: 37) { index.remove(id: "doc-\(row)") }
        for row in stride(from: 5, to: 3_000, by: 41) { try index.insert(id: "doc-\(row)", vector: data.row(3_000 + row % 200)) }
        return index
    }

    @Test(arguments: VectorMetric.allCases)
    func roundTripGivesIdenticalAnswers(metric: VectorMetric) throws {
        let original = try Self.makeIndex(metric: metric)
        let image = original.snapshot()
        let loaded = try HNSWIndex(snapshot: image)
        #expect(loaded.configuration == original.configuration)
        #expect(loaded.count == original.count)
        #expect(loaded.tombstoneCount == original.tombstoneCount)
        #expect(loaded.snapshot() == image, "re-encoding must give the same bytes, seed \(Self.seed)")
        for q in 3_000..<3_200 {
            let query = Self.data.row(q)
            #expect(try loaded.search(query, k: 10) == original.search(query, k: 10), "seed \(Self.seed), query \(q)")
            let filter = MetadataFilter.equals("status", "active")
            #expect(try loaded.search(query, k: 10, ef: 40, filter: filter) == original.search(query, k: 10, ef: 40, filter: filter))
        }
        #expect(loaded.metadata(for: "doc-4") == ["status": "active", "n": "4"])
        // The level generator state is saved too: the same later inserts give the same graph.
        for row in 0..<50 {
            try original.insert(id: "new-\(row)", vector: Self.data.row(3_100 + row))
            try loaded.insert(id: "new-\(row)", vector: Self.data.row(3_100 + row))
        }
        #expect(loaded.snapshot() == original.snapshot())
    }

    @Test func sameSeedAndOrderGiveTheSameGraph() throws {
        #expect(try Self.makeIndex(metric: .l2).snapshot() == Self.makeIndex(metric: .l2).snapshot())
    }

    @Test func emptyIndexRoundTrips() throws {
        let empty = try HNSWIndex(configuration: HNSWConfiguration(dimension: 7, metric: .innerProduct))
        let loaded = try HNSWIndex(snapshot: empty.snapshot())
        #expect(loaded.count == 0)
        #expect(loaded.configuration.dimension == 7)
        #expect(try loaded.search([1, 0, 0, 0, 0, 0, 0], k: 3).isEmpty)
    }

    static func code(loading bytes: [UInt8]) -> VectorError.Code? {
        do {
            _ = try HNSWIndex(snapshot: bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func flippedBytesAreRejected() throws {
        let image = try Self.makeIndex(metric: .cosine).snapshot()
        var rng = SplitMix64(seed: Self.seed)
        // Anywhere in the payload: the checksum catches it.
        for _ in 0..<40 {
            var bad = image
            let at = 32 + Int(rng.next() % UInt64(image.count - 32))
            bad[at] ^= UInt8(1 << (rng.next() % 8))
            #expect(Self.code(loading: bad) == .snapshotChecksumMismatch, "byte \(at), seed \(Self.seed)")
        }
        // In the header: every field is checked.
        var badMagic = image
        badMagic[0] ^= 0x20
        #expect(Self.code(loading: badMagic) == .snapshotCorrupt)
        var badVersion = image
        badVersion[8] = 9
        #expect(Self.code(loading: badVersion) == .snapshotUnsupportedVersion)
        var badChecksum = image
        badChecksum[30] ^= 1
        #expect(Self.code(loading: badChecksum) == .snapshotChecksumMismatch)
        var badLength = image
        badLength[16] ^= 1
        #expect([.snapshotTruncated, .snapshotCorrupt].contains(Self.code(loading: badLength)))
        for at in 0..<32 {
            var bad = image
            bad[at] ^= 0x80
            #expect(Self.code(loading: bad) != nil, "header byte \(at)")
        }
    }

    @Test func truncatedSnapshotsAreRejected() throws {
        let image = try Self.makeIndex(metric: .l2).snapshot()
        for length in [0, 1, 8, 31, 32, 33, image.count / 2, image.count - 1] {
            #expect(Self.code(loading: Array(image.prefix(length))) == .snapshotTruncated, "length \(length)")
        }
        #expect(Self.code(loading: image + [0]) == .snapshotCorrupt)
        #expect(Self.code(loading: Array("not a snapshot at all, just some text".utf8)) == .snapshotCorrupt)
    }

    @Test func errorsCarryContext() throws {
        let image = try HNSWIndex(configuration: HNSWConfiguration(dimension: 2, metric: .l2)).snapshot()
        do {
            _ = try HNSWIndex(snapshot: Array(image.prefix(10)))
            Issue.record("a truncated snapshot loaded")
        } catch {
            #expect(error.code == .snapshotTruncated)
            #expect(error.actual == 10)
            #expect(error.description.hasPrefix("snapshotTruncated: "))
        }
    }
}
