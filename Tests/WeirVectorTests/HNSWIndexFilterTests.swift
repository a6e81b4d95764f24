import Testing
import WeirVector

/// Metadata-filtered search on the shared 20,000-vector indexes: a filter matching 10% of the
/// documents, checked during the walk, still returns k matching results with good recall.
@Suite struct HNSWIndexFilterTests {
    @Test(arguments: [VectorMetric.cosine, .l2])
    func selectiveFilterReturnsOnlyMatchesWithRecall(metric: VectorMetric) throws {
        let index = SharedIndexes.index(metric)
        let filter = MetadataFilter.equals("status", "active")
        var found: [[String]] = []
        var truth: [[String]] = []
        for query in SharedIndexes.queries {
            let hits = try index.search(query, k: SharedIndexes.k, ef: SharedIndexes.ef, filter: filter)
            #expect(hits.count == SharedIndexes.k, "seed \(SharedIndexes.seed)")
            for hit in hits {
                #expect(index.metadata(for: hit.id)?["status"] == "active", "\(hit.id) does not match, seed \(SharedIndexes.seed)")
            }
            found.append(hits.map(\.id))
            truth.append(BruteForce.nearest(query, in: SharedIndexes.data, candidates: SharedIndexes.active, metric: metric, k: SharedIndexes.k))
        }
        let r = recall(found: found, truth: truth)
        print("filtered recall@10 \(metric) ef=\(SharedIndexes.ef): \(r) (seed \(SharedIndexes.seed))")
        #expect(r >= 0.9, "filtered recall@10 \(r) for \(metric), seed \(SharedIndexes.seed)")
    }

    @Test func compositeAndPredicateFilters() throws {
        let index = SharedIndexes.cosine
        let query = SharedIndexes.queries[0]
        let both = MetadataFilter.allOf([.equals("status", "active"), .equals("shard", "1")])
        for hit in try index.search(query, k: 10, filter: both) {
            let row = Int(hit.id.dropFirst(4))!
            #expect(SharedIndexes.isActive(row) && row % 3 == 1)
        }
        let custom = MetadataFilter.predicate { $0["shard"] == "2" }
        let hits = try index.search(query, k: 10, filter: custom)
        #expect(hits.count == 10)
        #expect(hits.allSatisfy { Int($0.id.dropFirst(4))! % 3 == 2 })
        let none = try index.search(query, k: 10, filter: .equals("status", "missing"))
        #expect(none.isEmpty)
        #expect(try index.search(query, k: 5, filter: .not(.exists("status"))).isEmpty)
        #expect(try index.search(query, k: 5, filter: .anyOf([.equals("shard", "0"), .equals("shard", "9")])).count == 5)
    }
}
