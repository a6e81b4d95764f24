import Testing
import WeirVector
import WeirCore

/// Replacing 10% of the vectors and deleting another 10%: no deleted id and no old vector is
/// ever returned, updated ids are found at their new vector, and recall on the live set
/// holds before and after compaction.
@Suite struct HNSWIndexUpdateTests {
    static let seed: UInt64 = 0x0DE1_E7E5
    static let documents = 5_000
    static let changed = 500
    static let queryCount = 200
    static let dimension = 32

    @Test func updatesAndDeletesNeverReturnStaleIDs() throws {
        let seed = Self.seed
        let n = Self.documents
        let data = VectorSet.clustered(
            count: n + Self.changed + Self.queryCount, dimension: Self.dimension, clusters: 48, seed: seed)
        let metric = VectorMetric.cosine
        let index = try HNSWIndex(
            configuration: HNSWConfiguration(dimension: Self.dimension, metric: metric, m: 16, efConstruction: 64, seed: seed))
        for row in 0..<n { try index.insert(id: "doc-\(row)", vector: data.row(row)) }

        // Row of the current vector of every live id.
        var current: [String: Int] = [:]
        for row in 0..<n { current["doc-\(row)"] = row }
        var rng = SplitMix64(seed: seed)
        let shuffled = Array(0..<n).shuffled(using: &rng)
        let updated = Array(shuffled[0..<Self.changed])
        let deleted = Set(shuffled[Self.changed..<(2 * Self.changed)].map { "doc-\($0)" })
        for (j, row) in updated.enumerated() {
            try index.insert(id: "doc-\(row)", vector: data.row(n + j))
            current["doc-\(row)"] = n + j
        }
        for id in deleted {
            #expect(index.remove(id: id))
            current[id] = nil
        }
        #expect(!index.remove(id: deleted.first!))
        #expect(index.count == n - Self.changed)
        #expect(index.tombstoneCount == 2 * Self.changed)

        func check(_ phase: String) throws {
            // Every hit's distance must be the distance to the id's current vector: a stale
            // (tombstoned) slot would report the distance to its old vector.
            func checkHits(_ hits: [SearchResult], query: [Float]) {
                for hit in hits {
                    #expect(!deleted.contains(hit.id), "\(phase): deleted \(hit.id) returned, seed \(seed)")
                    guard let row = current[hit.id] else { continue }
                    let expected = metric.distance(query, data.row(row))
                    #expect(abs(hit.distance - expected) < 1e-4, "\(phase): \(hit.id) at a stale distance, seed \(seed)")
                }
            }
            var foundAtNew = 0
            for (j, row) in updated.enumerated() {
                let id = "doc-\(row)"
                let atNew = try index.search(data.row(n + j), k: 10)
                checkHits(atNew, query: data.row(n + j))
                if atNew.first?.id == id { foundAtNew += 1 }
                checkHits(try index.search(data.row(row), k: 10), query: data.row(row))
            }
            #expect(foundAtNew >= Self.changed * 99 / 100, "\(phase): \(foundAtNew) updated ids found at their new vector, seed \(seed)")
            for id in deleted {
                let row = Int(id.dropFirst(4))!
                checkHits(try index.search(data.row(row), k: 10), query: data.row(row))
            }
            let live = current.map { (index: $0.value, id: $0.key) }.sorted { $0.id < $1.id }
            var found: [[String]] = []
            var truth: [[String]] = []
            for q in 0..<Self.queryCount {
                let query = data.row(n + Self.changed + q)
                let hits = try index.search(query, k: 10, ef: 64)
                checkHits(hits, query: query)
                found.append(hits.map(\.id))
                truth.append(BruteForce.nearest(query, in: data, candidates: live, metric: metric, k: 10))
            }
            let r = recall(found: found, truth: truth)
            print("\(phase): recall@10 on the live set \(r) (seed \(seed))")
            #expect(r >= 0.95, "\(phase): recall@10 \(r) on the live set, seed \(seed)")
        }

        try check("with tombstones")
        index.compact()
        #expect(index.tombstoneCount == 0)
        #expect(index.count == n - Self.changed)
        try check("after compaction")
        for id in deleted { #expect(!index.contains(id: id)) }
    }

    @Test func compactionRunsByItselfPastTheTombstoneFraction() throws {
        let data = VectorSet.clustered(count: 400, dimension: 8, clusters: 4, seed: Self.seed)
        let index = try HNSWIndex(
            configuration: HNSWConfiguration(dimension: 8, metric: .l2, m: 8, efConstruction: 40, maxTombstoneFraction: 0.25))
        for row in 0..<400 { try index.insert(id: "d\(row)", vector: data.row(row)) }
        for row in 0..<100 { index.remove(id: "d\(row)") }
        #expect(index.tombstoneCount == 100)
        index.remove(id: "d100")
        #expect(index.tombstoneCount == 0)
        #expect(index.count == 299)
        let hits = try index.search(data.row(200), k: 5)
        #expect(hits.first?.id == "d200")
    }

    @Test func removingEverythingLeavesAnEmptyUsableIndex() throws {
        let data = VectorSet.clustered(count: 50, dimension: 4, clusters: 2, seed: Self.seed)
        let index = try HNSWIndex(configuration: HNSWConfiguration(dimension: 4, metric: .l2, m: 4, efConstruction: 16))
        for row in 0..<50 { try index.insert(id: "d\(row)", vector: data.row(row)) }
        for row in 0..<50 { index.remove(id: "d\(row)") }
        #expect(index.count == 0)
        #expect(try index.search(data.row(0), k: 3).isEmpty)
        index.compact()
        #expect(index.tombstoneCount == 0)
        try index.insert(id: "again", vector: data.row(3))
        #expect(try index.search(data.row(3), k: 3).map(\.id) == ["again"])
    }

    @Test func insertsStayReachableWhenEveryOtherNodeIsATombstone() throws {
        let data = VectorSet.clustered(count: 60, dimension: 4, clusters: 2, seed: Self.seed)
        let index = try HNSWIndex(
            configuration: HNSWConfiguration(dimension: 4, metric: .l2, m: 4, efConstruction: 16, maxTombstoneFraction: 1))
        for row in 0..<40 { try index.insert(id: "d\(row)", vector: data.row(row)) }
        for row in 0..<40 { index.remove(id: "d\(row)") }
        for row in 40..<60 { try index.insert(id: "d\(row)", vector: data.row(row)) }
        #expect(index.tombstoneCount == 40)
        for row in 40..<60 {
            #expect(try index.search(data.row(row), k: 1).map(\.id) == ["d\(row)"], "seed \(Self.seed)")
        }
        index.compact()
        for row in 40..<60 {
            #expect(try index.search(data.row(row), k: 1).map(\.id) == ["d\(row)"], "seed \(Self.seed)")
        }
    }

    @Test func metadataOnlyUpdateKeepsTheSlot() throws {
        // Compaction off, so the replaced slot stays visible as a tombstone.
        let index = try HNSWIndex(configuration: HNSWConfiguration(dimension: 3, metric: .cosine, maxTombstoneFraction: 1))
        try index.insert(id: "a", vector: [1, 2, 3], metadata: ["status": "draft"])
        try index.insert(id: "a", vector: [1, 2, 3], metadata: ["status": "active"])
        #expect(index.tombstoneCount == 0)
        #expect(index.metadata(for: "a") == ["status": "active"])
        try index.update(id: "a", vector: [3, 2, 1])
        #expect(index.tombstoneCount == 1)
        #expect(index.count == 1)
        let hits = try index.search([3, 2, 1], k: 2)
        #expect(hits.map(\.id) == ["a"])
        #expect(abs((hits.first?.distance ?? 1)) < 1e-6)
        #expect(throws: VectorError.self) { try index.update(id: "missing", vector: [1, 0, 0]) }
        do {
            try index.update(id: "missing", vector: [1, 0, 0])
        } catch {
            #expect(error.code == .unknownID)
            #expect(error.id == "missing")
        }
    }
}
