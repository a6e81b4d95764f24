/// One document of the embeddings pipeline, decoded from a Kafka record: what is upserted
/// into the pgvector table and the in-process index.
public struct Document: Sendable, Equatable {
    /// The document's key (`document_id`), at most 255 characters.
    public var id: String
    /// The text that is embedded and stored.
    public var content: String
    /// The `metadata` object as JSON text (validated; `{}` when absent), stored as JSONB.
    public var metadataJSON: String
    /// The top-level scalar members of `metadata` as strings (numbers and booleans as written
    /// in the JSON), which the index filters on; nested objects and arrays are not included.
    public var metadata: [String: String]
    /// A ready vector carried by the record, used instead of embedding `content`.
    public var embedding: [Float]?

    /// A document.
    public init(id: String, content: String, metadataJSON: String = "{}", metadata: [String: String] = [:], embedding: [Float]? = nil) {
        self.id = id
        self.content = content
        self.metadataJSON = metadataJSON
        self.metadata = metadata
        self.embedding = embedding
    }
}

/// What one Kafka record of the documents topic asks for.
public enum DocumentChange: Sendable, Equatable {
    /// Insert or replace the document with this id.
    case upsert(Document)
    /// A tombstone (null value): remove the document with this id from table and index.
    case delete(id: String)

    /// The document id the change concerns.
    public var id: String {
        switch self {
        case .upsert(let document): return document.id
        case .delete(let id): return id
        }
    }
}
