internal import CRdKafka

/// A consumed record, viewed in place inside librdkafka's buffer. Valid only during the
/// callback that receives it: copy what must outlive it.
public struct KafkaMessageView {
    let message: UnsafeMutablePointer<rd_kafka_message_t>

    /// The partition the record was read from.
    public var partition: Int32 { message.pointee.partition }
    /// The record's offset in its partition.
    public var offset: Int64 { message.pointee.offset }

    /// The record's value bytes; empty for a tombstone.
    public var payload: UnsafeBufferPointer<UInt8> {
        guard let p = message.pointee.payload else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: message.pointee.len)
    }

    /// Whether the record has a null value (a tombstone).
    public var isTombstone: Bool { message.pointee.payload == nil }

    /// The record's key bytes, if any.
    public var key: UnsafeBufferPointer<UInt8>? {
        guard let p = message.pointee.key else { return nil }
        return UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: message.pointee.key_len)
    }

    /// The topic name. Allocates a String: use off the per-record path.
    public var topic: String {
        guard let rkt = message.pointee.rkt else { return "" }
        return String(cString: rd_kafka_topic_name(rkt))
    }
}
