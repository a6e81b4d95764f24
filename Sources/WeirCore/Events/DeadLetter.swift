/// A refused record: where it came from, why, and its original bytes.
public struct DeadLetter: Sendable, Equatable {
    public var source: TopicPartition
    public var offset: Int64
    public var reason: DeadLetterReason
    /// The record's value exactly as received.
    public var raw: [UInt8]

    public init(source: TopicPartition, offset: Int64, reason: DeadLetterReason, raw: [UInt8]) {
        self.source = source
        self.offset = offset
        self.reason = reason
        self.raw = raw
    }
}
