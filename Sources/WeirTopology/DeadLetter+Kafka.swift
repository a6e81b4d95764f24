import WeirCore
import WeirKafka

extension DeadLetter {
    /// The dead letter of a record read from `topic`: its partition, offset and value bytes.
    init(_ message: KafkaMessageView, topic: String, reason: DeadLetterReason) {
        self.init(
            source: TopicPartition(topic: topic, partition: message.partition), offset: message.offset, reason: reason,
            raw: Array(message.payload))
    }
}
