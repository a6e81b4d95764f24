internal import CRdKafka

/// An error from Weir's Kafka layer, with a stable code and the Kafka context it concerns.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure; callers match on this.
    public enum Code: String, Sendable {
        case configuration = "kafka.configuration"
        case clientCreation = "kafka.client_creation"
        case subscribe = "kafka.subscribe"
        case consume = "kafka.consume"
        case produce = "kafka.produce"
        case flush = "kafka.flush"
        case commit = "kafka.commit"
        case assign = "kafka.assign"
        case metadata = "kafka.metadata"
        case mockCluster = "kafka.mock_cluster"
    }

    public var code: Code
    public var message: String
    public var topic: String?
    public var partition: Int32?
    public var offset: Int64?
    /// librdkafka's `rd_kafka_resp_err_t` value, when one was returned.
    public var rdkafkaCode: Int32?

    public init(
        _ code: Code, _ message: String, topic: String? = nil, partition: Int32? = nil,
        offset: Int64? = nil, rdkafkaCode: Int32? = nil
    ) {
        self.code = code
        self.message = message
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.rdkafkaCode = rdkafkaCode
    }

    init(_ code: Code, _ message: String, error: rd_kafka_resp_err_t, topic: String? = nil, partition: Int32? = nil) {
        let text = String(cString: rd_kafka_err2str(error))
        self.init(code, "\(message): \(text)", topic: topic, partition: partition, rdkafkaCode: error.rawValue)
    }

    public var description: String {
        var context: [String] = []
        if let topic { context.append("topic=\(topic)") }
        if let partition { context.append("partition=\(partition)") }
        if let offset { context.append("offset=\(offset)") }
        let suffix = context.isEmpty ? "" : " (" + context.joined(separator: ", ") + ")"
        return "[\(code.rawValue)] \(message)\(suffix)"
    }
}

/// The text of a NUL-terminated error buffer filled by librdkafka.
func stringFromErrorBuffer(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
