internal import CRdKafka

/// An in-process Kafka-protocol broker: librdkafka's mock cluster. It serves real clients
/// (in this process or others) on loopback ports until ``shutdown()``; its data is in
/// memory only.
///
/// Thread ownership: the mock cluster runs on its own librdkafka threads; the topic and
/// fault calls below are thread-safe in librdkafka. Shut down every client first.
public final class EmbeddedKafkaBroker: @unchecked Sendable {
    private var host: OpaquePointer?
    private var mockCluster: OpaquePointer?
    /// The `host:port,...` list clients bootstrap from.
    public let bootstrapServers: String
    /// How many brokers the cluster has.
    public let brokerCount: Int

    /// Starts a cluster of `brokers` brokers on random loopback ports.
    public init(brokers: Int = 3) throws(KafkaError) {
        let conf = try KafkaProperties([("log_level", "3")]).makeConf()
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(.mockCluster, "cannot create the mock cluster's host client: \(stringFromErrorBuffer(errstr))")
        }
        guard let mc = rd_kafka_mock_cluster_new(rk, Int32(brokers)) else {
            rd_kafka_destroy(rk)
            throw KafkaError(.mockCluster, "cannot start a mock cluster of \(brokers) brokers")
        }
        host = rk
        mockCluster = mc
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mc))
    }

    deinit { shutdown() }

    /// Creates a topic with `partitions` partitions.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(try cluster(), name, Int32(partitions), Int32(replicationFactor))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(.mockCluster, "cannot create topic", error: err, topic: name)
        }
    }

    /// The live cluster handle, for the fault-injection calls.
    func cluster() throws(KafkaError) -> OpaquePointer {
        guard let mockCluster else { throw KafkaError(.mockCluster, "broker is shut down") }
        return mockCluster
    }

    /// Stops serving. Idempotent.
    public func shutdown() {
        if let mockCluster { rd_kafka_mock_cluster_destroy(mockCluster) }
        if let host { rd_kafka_destroy(host) }
        mockCluster = nil
        host = nil
    }
}
