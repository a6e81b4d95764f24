import Testing
import WeirVector

/// The index's contract at small sizes: validation errors, exact answers on tiny sets, `k`
/// larger than the index, and reproducible builds.
@Suite struct HNSWIndexTests {
    /// The code of the `VectorError` that `body` throws, or nil when it does not throw one.
    static func code(_ body: () throws -> Void) -> VectorError.Code? {
        do {
            try body()
            return nil
        } catch let error as VectorError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func rejectsInvalidConfigurations() {
        #expect(Self.code { _ = try HNSWIndex(configuration: .init(dimension: 0, metric: .l2)) } == .invalidConfiguration)
        #expect(Self.code { _ = try HNSWIndex(configuration: .init(dimension: 4, metric: .l2, m: 1)) } == .invalidConfiguration)
        #expect(Self.code { _ = try HNSWIndex(configuration: .init(dimension: 4, metric: .l2, efConstruction: 0)) } == .invalidConfiguration)
        #expect(Self.code { _ = try HNSWIndex(configuration: .init(dimension: 4, metric: .l2, efSearch: 0)) } == .invalidConfiguration)
        #expect(Self.code { _ = try HNSWIndex(configuration: .init(dimension: 4, metric: .l2, maxTombstoneFraction: 0)) } == .invalidConfiguration)
    }

    @Test func rejectsBadVectors() throws {
        let index = try HNSWIndex(configuration: HNSWConfiguration(dimension: 3, metric: .cosine))
        #expect(Self.code { try index.insert(id: "a", vector: [1, 2]) } == .dimensionMismatch)
        #expect(Self.code { try index.insert(id: "a", vector: [0, 0, 0]) } == .invalidVector)
        #expect(Self.code { try index.insert(id: "a", vector: [1, .nan, 0]) } == .invalidVector)
        #expect(Self.code { try index.insert(id: "a", vector: [1, .infinity, 0]) } == .invalidVector)
        #expect(Self.code { _ = try index.search([1, 2, 3, 4], k: 1) } == .dimensionMismatch)
        #expect(index.count == 0)
        do {
            try index.insert(id: "x", vector: [1])
        } catch {
            #expect(error.expected == 3 && error.actual == 1 && error.id == "x")
        }
        let l2 = try HNSWIndex(configuration: HNSWConfiguration(dimension: 2, metric: .l2))
        try l2.insert(id: "origin", vector: [0, 0])
        #expect(try l2.search([0, 0], k: 1).map(\.id) == ["origin"])
    }

    @Test(arguments: VectorMetric.allCases)
    func smallSetsAreExact(metric: VectorMetric) throws {
        let data = VectorSet.clustered(count: 300, dimension: 5, clusters: 3, seed: 5)
        let index = try HNSWIndex(configuration: HNSWConfiguration(dimension: 5, metric: metric, m: 8, efConstruction: 64))
        let candidates = (0..<250).map { (index: $0, id: "v\($0)") }
        for (row, id) in candidates { try index.insert(id: id, vector: data.row(row)) }
        for q in 250..<300 {
            let query = data.row(q)
            let hits = try index.search(query, k: 5, ef: 250)
            #expect(hits.map(\.id) == BruteForce.nearest(query, in: data, candidates: candidates, metric: metric, k: 5))
            for hit in hits {
                let row = Int(hit.id.dropFirst())!
                #expect(abs(hit.distance - metric.distance(query, data.row(row))) < 1e-4)
            }
        }
    }

    @Test func kLargerThanTheIndexReturnsEverything() throws {
        let index = try HNSWIndex(configuration: HNSWConfiguration(dimension: 2, metric: .l2, m: 4))
        #expect(try index.search([0, 0], k: 3).isEmpty)
        for i in 0..<5 { try index.insert(id: "p\(i)", vector: [Float(i), 0]) }
        let hits = try index.search([0, 0], k: 50)
        #expect(hits.map(\.id) == ["p0", "p1", "p2", "p3", "p4"])
        #expect(hits.map(\.distance) == [0, 1, 4, 9, 16])
        #expect(try index.search([0, 0], k: 0).isEmpty)
        #expect(index.vector(for: "p3") == [3, 0])
        #expect(index.vector(for: "nope") == nil)
    }

    @Test func cosineStoresUnitVectorsAndInnerProductKeepsNorms() throws {
        let cosine = try HNSWIndex(configuration: HNSWConfiguration(dimension: 2, metric: .cosine))
        try cosine.insert(id: "a", vector: [3, 4])
        #expect(cosine.vector(for: "a") == [0.6, 0.8])
        let inner = try HNSWIndex(configuration: HNSWConfiguration(dimension: 2, metric: .innerProduct))
        try inner.insert(id: "small", vector: [1, 0])
        try inner.insert(id: "large", vector: [10, 0])
        #expect(try inner.search([1, 0], k: 2).map(\.id) == ["large", "small"])
    }
}
