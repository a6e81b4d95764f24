/// The body of `POST /v1/search`: a text (embedded with the topology's embedder) or a ready
/// vector, the number of results, an optional beam width and `key=value` metadata filters.
public struct SearchRequest: Codable, Sendable, Equatable {
    public var text: String?
    public var vector: [Float]?
    public var k: Int?
    public var ef: Int?
    /// Every pair must match the document's metadata exactly.
    public var filter: [String: String]?

    public init(text: String? = nil, vector: [Float]? = nil, k: Int? = nil, ef: Int? = nil, filter: [String: String]? = nil) {
        self.text = text
        self.vector = vector
        self.k = k
        self.ef = ef
        self.filter = filter
    }
}

/// The answer of `POST /v1/search`: nearest first.
public struct SearchResponse: Codable, Sendable, Equatable {
    /// One hit.
    public struct Hit: Codable, Sendable, Equatable {
        public var document_id: String
        /// `1 - cosine distance` under the cosine metric; `1 - distance` under the others.
        public var similarity: Double
        public var distance: Double
        public var metadata: [String: String]

        public init(document_id: String, similarity: Double, distance: Double, metadata: [String: String]) {
            self.document_id = document_id
            self.similarity = similarity
            self.distance = distance
            self.metadata = metadata
        }
    }

    public var results: [Hit]
    /// Live documents in the index that answered.
    public var indexed: Int

    public init(results: [Hit], indexed: Int) {
        self.results = results
        self.indexed = indexed
    }
}

/// The body of every error answer: a stable code and a message.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public var error: String
    public var message: String
}
