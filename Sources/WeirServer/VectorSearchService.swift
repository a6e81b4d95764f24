import Dispatch
public import WeirVector

/// What the HTTP search endpoint asks: the running topology's index and its embedder.
public struct VectorSearchService: Sendable {
    public let index: DocumentIndex
    public let embedder: any Embedder

    public init(index: DocumentIndex, embedder: any Embedder) {
        self.index = index
        self.embedder = embedder
    }

    /// Answers a search request. Embedding may block on the network, so it runs on a Dispatch
    /// queue rather than on Swift's cooperative pool.
    func answer(_ request: SearchRequest) async throws(SearchFailure) -> SearchResponse {
        let k = request.k ?? 10
        guard (1...1000).contains(k) else { throw SearchFailure(code: "invalid_k", message: "k must be in 1...1000, got \(k)", status: 400) }
        if let ef = request.ef, !(1...10_000).contains(ef) {
            throw SearchFailure(code: "invalid_ef", message: "ef must be in 1...10000, got \(ef)", status: 400)
        }
        let query: [Float]
        switch (request.text, request.vector) {
        case (let text?, nil):
            let embedder = self.embedder
            let embedded: Result<[[Float]], VectorError> = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: Result { () throws(VectorError) in try embedder.embed([text]) })
                }
            }
            switch embedded {
            case .success(let vectors): query = vectors[0]
            case .failure(let error): throw SearchFailure(code: "embedder_failed", message: "\(error)", status: 502)
            }
        case (nil, let vector?):
            query = vector
        default:
            throw SearchFailure(code: "invalid_query", message: "give exactly one of text and vector", status: 400)
        }
        let filter = request.filter.map { pairs in MetadataFilter.allOf(pairs.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) }) }
        let hits: [SearchResult]
        do {
            hits = try index.search(query, k: k, ef: request.ef, filter: filter)
        } catch {
            throw SearchFailure(code: "invalid_vector", message: "\(error)", status: 400)
        }
        return SearchResponse(
            results: hits.map { hit in
                SearchResponse.Hit(
                    document_id: hit.id, similarity: Double(1 - hit.distance), distance: Double(hit.distance),
                    metadata: index.metadata(for: hit.id) ?? [:])
            },
            indexed: index.count)
    }
}

/// A search that cannot be answered, with its HTTP status.
struct SearchFailure: Error {
    var code: String
    var message: String
    var status: Int
}
