import WeirVector

/// 20,000 clustered 32-d documents (plus 200 held-out queries from the same clusters), with
/// `status=active` on every tenth document, indexed once per metric and shared by the recall
/// and filter tests (building is the slow part of a debug test run).
enum SharedIndexes {
    static let seed: UInt64 = 0x20_000
    static let documents = 20_000
    static let queryCount = 200
    static let dimension = 32
    static let k = 10
    /// The search beam width the recall tests use.
    static let ef = 64
    /// Rows `0..<documents` are documents `doc-<row>`; the rest are queries.
    static let data = VectorSet.clustered(count: documents + queryCount, dimension: dimension, clusters: 64, seed: seed)
    static let queries = (0..<queryCount).map { data.row(documents + $0) }
    static let all: [(index: Int, id: String)] = (0..<documents).map { ($0, "doc-\($0)") }
    static let active: [(index: Int, id: String)] = all.filter { isActive($0.index) }

    static func isActive(_ row: Int) -> Bool { row % 10 == 7 }

    static func metadata(_ row: Int) -> [String: String] {
        ["status": isActive(row) ? "active" : "archived", "shard": String(row % 3)]
    }

    static let cosine = build(.cosine)
    static let l2 = build(.l2)
    static let innerProduct = build(.innerProduct)

    static func index(_ metric: VectorMetric) -> HNSWIndex {
        switch metric {
        case .cosine: return cosine
        case .l2: return l2
        case .innerProduct: return innerProduct
        }
    }

    private static func build(_ metric: VectorMetric) -> HNSWIndex {
        let index = try! HNSWIndex(
            configuration: HNSWConfiguration(dimension: dimension, metric: metric, m: 16, efConstruction: 64, seed: seed))
        index.reserveCapacity(documents)
        for row in 0..<documents {
            try! index.insert(id: "doc-\(row)", vector: data.row(row), metadata: metadata(row))
        }
        return index
    }
}
