public import WeirCore

/// Reads the records of a documents topic: a JSON object with `document_id`, `content`,
/// optional `metadata` (an object) and optional `embedding` (an array of numbers), or a
/// tombstone (null value) whose key is the document id.
///
/// A record that cannot be stored is refused with a ``DeadLetterReason`` naming the field, so
/// that the stream goes on: no id, an id longer than 255 characters (the table's
/// `VARCHAR(255)`), text PostgreSQL cannot store (NUL), metadata that is not an object, or an
/// embedding of the wrong length, with NaN, or all zeros.
///
/// One decoder belongs to one task; it reuses its scanner between records.
public struct DocumentDecoder: Sendable {
    /// Field names and limits.
    public struct Configuration: Sendable, Hashable {
        public var idField: JSONFieldPath
        public var contentField: JSONFieldPath
        public var metadataField: JSONFieldPath
        public var embeddingField: JSONFieldPath
        /// Larger records are refused.
        public var maxMessageBytes: Int
        /// The vector length a carried `embedding` must have (the embedder's dimension).
        public var dimension: Int

        /// The documented defaults: `document_id`, `content`, `metadata`, `embedding`, 4 MiB.
        public init(
            idField: JSONFieldPath = JSONFieldPath("document_id")!, contentField: JSONFieldPath = JSONFieldPath("content")!,
            metadataField: JSONFieldPath = JSONFieldPath("metadata")!, embeddingField: JSONFieldPath = JSONFieldPath("embedding")!,
            maxMessageBytes: Int = 4 << 20, dimension: Int
        ) {
            self.idField = idField
            self.contentField = contentField
            self.metadataField = metadataField
            self.embeddingField = embeddingField
            self.maxMessageBytes = maxMessageBytes
            self.dimension = dimension
        }
    }

    public let configuration: Configuration
    private var extractor: JSONFieldExtractor
    private var scratch: [UInt8] = []

    /// The longest document id the table accepts, in characters.
    public static let maxIDLength = 255

    public init(configuration: Configuration) {
        self.configuration = configuration
        extractor = JSONFieldExtractor(paths: [
            configuration.idField, configuration.contentField, configuration.metadataField, configuration.embeddingField,
        ])
    }

    /// Decodes one record. `isTombstone` is true for a null value, and then `key` must hold
    /// the document id.
    public mutating func decode(
        payload: UnsafeBufferPointer<UInt8>, key: UnsafeBufferPointer<UInt8>?, isTombstone: Bool
    ) -> Result<DocumentChange, DeadLetterReason> {
        if isTombstone {
            guard let key, key.count > 0 else {
                return .failure(DeadLetterReason(.missingDocumentId, "a tombstone (null value) needs the document id as its key"))
            }
            guard let id = String(validating: key, as: UTF8.self) else {
                return .failure(DeadLetterReason(.invalidDocumentId, "the tombstone's key is not valid UTF-8"))
            }
            if let problem = Self.idProblem(id) { return .failure(DeadLetterReason(.invalidDocumentId, "key: \(problem)")) }
            return .success(.delete(id: id))
        }
        guard payload.count > 0 else { return .failure(DeadLetterReason(.emptyMessage, "the record has an empty value")) }
        guard payload.count <= configuration.maxMessageBytes else {
            return .failure(DeadLetterReason(.oversizeMessage, "\(payload.count) bytes is more than max_message_bytes \(configuration.maxMessageBytes)"))
        }
        do {
            try extractor.scan(payload)
        } catch {
            return .failure(DeadLetterReason(.malformedJSON, "\(error)"))
        }
        let slots = extractor.slots
        let idName = configuration.idField.description
        guard let id = text(slots[0], payload) else {
            return .failure(DeadLetterReason(
                slots[0].kind == .missing || slots[0].kind == .null ? .missingDocumentId : .invalidDocumentId,
                "\(idName): expected a string"))
        }
        if let problem = Self.idProblem(id) { return .failure(DeadLetterReason(.invalidDocumentId, "\(idName): \(problem)")) }

        var embedding: [Float]?
        let embeddingName = configuration.embeddingField.description
        switch slots[3].kind {
        case .missing, .null: embedding = nil
        case .array:
            let parsed = VectorLiteral.parse(UnsafeBufferPointer(rebasing: payload[slots[3].start..<slots[3].end]))
            guard let parsed else {
                return .failure(DeadLetterReason(.invalidEmbedding, "\(embeddingName): expected an array of finite numbers"))
            }
            guard parsed.count == configuration.dimension else {
                return .failure(DeadLetterReason(.invalidEmbedding, "\(embeddingName): \(parsed.count) numbers, the embedder's dimension is \(configuration.dimension)"))
            }
            guard parsed.contains(where: { $0 != 0 }) else {
                return .failure(DeadLetterReason(.invalidEmbedding, "\(embeddingName): all zeros has no direction under cosine distance"))
            }
            embedding = parsed
        default:
            return .failure(DeadLetterReason(.invalidEmbedding, "\(embeddingName): expected an array of numbers"))
        }

        let contentName = configuration.contentField.description
        let content: String
        switch slots[1].kind {
        case .missing, .null:
            guard embedding != nil else {
                return .failure(DeadLetterReason(.missingContent, "\(contentName): required unless the record carries an embedding"))
            }
            content = ""
        default:
            guard let text = text(slots[1], payload) else {
                return .failure(DeadLetterReason(.invalidContent, "\(contentName): expected a string"))
            }
            guard !text.utf8.contains(0) else {
                return .failure(DeadLetterReason(.invalidContent, "\(contentName): contains a NUL character, which PostgreSQL text cannot store"))
            }
            content = text
        }

        let metadataName = configuration.metadataField.description
        var metadataJSON = "{}"
        var metadata: [String: String] = [:]
        switch slots[2].kind {
        case .missing, .null: break
        case .object:
            let raw = UnsafeBufferPointer(rebasing: payload[slots[2].start..<slots[2].end])
            guard !Self.containsEscapedNUL(raw) else {
                return .failure(DeadLetterReason(.invalidMetadata, "\(metadataName): contains a NUL character, which JSONB cannot store"))
            }
            metadataJSON = String(decoding: raw, as: UTF8.self)
            metadata = MetadataFlattener.topLevelScalars(raw)
        default:
            return .failure(DeadLetterReason(.invalidMetadata, "\(metadataName): expected an object"))
        }
        return .success(.upsert(Document(id: id, content: content, metadataJSON: metadataJSON, metadata: metadata, embedding: embedding)))
    }

    /// The top-level scalar members of a metadata object given as JSON text (as the table
    /// stores it), in the form the index filters on.
    public static func metadataStrings(json: String) -> [String: String] {
        var copy = json
        return copy.withUTF8 { MetadataFlattener.topLevelScalars($0) }
    }

    /// The string at `slot`, unescaped; nil when it is not a string or not valid UTF-8.
    private mutating func text(_ slot: JSONValueSlot, _ payload: UnsafeBufferPointer<UInt8>) -> String? {
        let body = UnsafeBufferPointer(rebasing: payload[slot.start..<slot.end])
        switch slot.kind {
        case .string:
            return String(validating: body, as: UTF8.self)
        case .escapedString:
            scratch.removeAll(keepingCapacity: true)
            guard JSONString.unescape(body, into: &scratch) else { return nil }
            return scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        default:
            return nil
        }
    }

    /// Whether JSON text holds `\u0000`, which JSONB refuses anywhere in a value.
    private static func containsEscapedNUL(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard raw.count >= 6 else { return false }
        for i in 0...(raw.count - 6) where raw[i] == UInt8(ascii: "\\") && raw[i + 1] == UInt8(ascii: "u") {
            if raw[i + 2] == 0x30 && raw[i + 3] == 0x30 && raw[i + 4] == 0x30 && raw[i + 5] == 0x30 { return true }
        }
        return false
    }

    private static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "the document id is empty" }
        // PostgreSQL's VARCHAR(n) counts code points, not grapheme clusters.
        let length = id.unicodeScalars.count
        if length > maxIDLength { return "the document id has \(length) characters, more than \(maxIDLength)" }
        if id.utf8.contains(0) { return "the document id contains a NUL character" }
        return nil
    }
}
