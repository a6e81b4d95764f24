/// Why a record was refused, as written to the dead-letter output.
public struct DeadLetterReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier, stored in the dead-letter table's `reason_code` column.
    public enum Code: String, Sendable, CaseIterable {
        case malformedJSON = "malformed_json"
        case missingUserId = "missing_user_id"
        case invalidUserId = "invalid_user_id"
        case missingTimestamp = "missing_timestamp"
        case invalidTimestamp = "invalid_timestamp"
        case timestampOutOfRange = "timestamp_out_of_range"
        case oversizeMessage = "oversize_message"
        case emptyMessage = "empty_message"
        // Documents (the embeddings pipeline).
        case missingDocumentId = "missing_document_id"
        case invalidDocumentId = "invalid_document_id"
        case missingContent = "missing_content"
        case invalidContent = "invalid_content"
        case invalidMetadata = "invalid_metadata"
        case invalidEmbedding = "invalid_embedding"
        case embeddingRejected = "embedding_rejected"
        // Active users (the engine's keyed operator).
        /// The event's day is older than the operator's allowed lateness.
        case lateEvent = "late_event"
        /// The event's day is outside the span the operator's counters can hold.
        case dayOutOfRange = "day_out_of_range"
        /// The Kafka message key is not the user id, so the user could live in two tasks.
        case keyNotUser = "key_not_user"

        /// The codes an activity event can be refused with (``ActivityEventDecoder``).
        public static let activityEventCodes: [Code] = [
            .malformedJSON, .missingUserId, .invalidUserId, .missingTimestamp, .invalidTimestamp,
            .timestampOutOfRange, .oversizeMessage, .emptyMessage,
        ]
    }

    public var code: Code
    /// A human-readable explanation naming the field.
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
