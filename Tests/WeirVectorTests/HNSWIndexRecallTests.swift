import Testing
import WeirVector

/// Recall@10 against brute force on 20,000 clustered vectors, for each metric.
@Suite struct HNSWIndexRecallTests {
    @Test(arguments: VectorMetric.allCases)
    func recallAt10OnTwentyThousandVectors(metric: VectorMetric) throws {
        let index = SharedIndexes.index(metric)
        #expect(index.count == SharedIndexes.documents)
        var found: [[String]] = []
        var truth: [[String]] = []
        for query in SharedIndexes.queries {
            let hits = try index.search(query, k: SharedIndexes.k, ef: SharedIndexes.ef)
            #expect(hits.count == SharedIndexes.k)
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.distance <= $1.distance })
            found.append(hits.map(\.id))
            truth.append(BruteForce.nearest(query, in: SharedIndexes.data, candidates: SharedIndexes.all, metric: metric, k: SharedIndexes.k))
        }
        let r = recall(found: found, truth: truth)
        print("recall@10 \(metric) ef=\(SharedIndexes.ef): \(r) (seed \(SharedIndexes.seed))")
        #expect(r >= 0.95, "recall@10 \(r) for \(metric), seed \(SharedIndexes.seed)")
    }
}
