internal import CRdKafka

/// Fault injection on the embedded broker, for tests that prove Weir rides out broker
/// trouble: brokers going down, leaders moving, requests failing, the group coordinator
/// disappearing. Broker ids run from 1 to ``EmbeddedKafkaBroker/brokerCount``.
extension EmbeddedKafkaBroker {
    /// Kafka protocol request types that can be made to fail.
    public enum ProtocolRequest: Int16, Sendable {
        case produce = 0
        case fetch = 1
        case listOffsets = 2
        case metadata = 3
        case offsetCommit = 8
        case offsetFetch = 9
        case findCoordinator = 10
        case joinGroup = 11
        case heartbeat = 12
        case syncGroup = 14
    }

    /// Errors a failing request can return.
    public enum InjectedError: Sendable {
        case notLeaderForPartition
        case requestTimedOut
        case coordinatorNotAvailable
        case notCoordinator
        /// The broker drops the connection.
        case disconnect

        var raw: rd_kafka_resp_err_t {
            switch self {
            case .notLeaderForPartition: return RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
            case .requestTimedOut: return RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
            case .coordinatorNotAvailable: return RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            case .notCoordinator: return RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            case .disconnect: return RD_KAFKA_RESP_ERR__TRANSPORT
            }
        }
    }

    /// Takes a broker down: its connections close and it refuses new ones.
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(try cluster(), broker), "set broker \(broker) down")
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(try cluster(), broker), "set broker \(broker) up")
    }

    /// Moves a partition's leadership to `broker`.
    public func setLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(try cluster(), topic, partition, broker), "move leader of \(topic)[\(partition)]")
    }

    /// Makes `broker` the coordinator of consumer group `group`.
    public func setGroupCoordinator(group: String, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_coordinator_set(try cluster(), "group", group, broker), "set coordinator of \(group)")
    }

    /// The next `errors.count` requests of type `request` (to any broker) fail with these errors, in order.
    public func failNextRequests(_ request: ProtocolRequest, with errors: [InjectedError]) throws(KafkaError) {
        let raw = errors.map(\.raw)
        let mc = try cluster()
        raw.withUnsafeBufferPointer { buf in
            rd_kafka_mock_push_request_errors_array(mc, request.rawValue, raw.count, buf.baseAddress)
        }
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(.mockCluster, "cannot \(what)", error: err) }
    }
}
