internal import CRdKafka
public import WeirCore
import Synchronization

/// A consumer-group member over librdkafka's high-level consumer: subscribes, hands out
/// records in batches, and lets its owner choose start offsets on every assignment.
///
/// Offsets are never committed automatically; the owner commits them (to Kafka, for lag
/// monitoring) after it has made its results durable.
///
/// Thread ownership: one thread — the one that calls ``poll(maxMessages:timeoutMilliseconds:_:)`` —
/// uses a consumer. The rebalance handler runs on that thread, inside `poll`.
public final class KafkaConsumer: @unchecked Sendable {
    /// What happened in a group rebalance.
    public enum Rebalance: Sendable {
        /// These partitions are now ours; the handler returns the next offset to read for
        /// each (missing partitions start from the configured start position).
        case assign([TopicPartition])
        /// These partitions are being taken away; the handler must finish with them first.
        case revoke([TopicPartition])
    }

    /// Settings of a consumer.
    public struct Configuration: Sendable {
        public var bootstrapServers: String
        public var groupId: String
        public var topics: [String]
        /// Where a partition with no stored offset starts.
        public var startPosition: KafkaStartPosition
        /// Extra librdkafka properties; they override Weir's defaults.
        public var properties: KafkaProperties

        public init(
            bootstrapServers: String, groupId: String, topics: [String],
            startPosition: KafkaStartPosition = .earliest, properties: KafkaProperties = KafkaProperties()
        ) {
            self.bootstrapServers = bootstrapServers
            self.groupId = groupId
            self.topics = topics
            self.startPosition = startPosition
            self.properties = properties
        }
    }

    public let configuration: Configuration
    private let handle: OpaquePointer
    private let queue: OpaquePointer
    private var batch: [UnsafeMutablePointer<rd_kafka_message_t>?]
    private var closed = false
    private var rebalanceHandler: (Rebalance) -> [TopicPartition: Int64]
    private let context: CallbackContext
    /// The partitions currently assigned (owned by the polling thread).
    public private(set) var assignment: Set<TopicPartition> = []
    /// The last error librdkafka reported through a message (for progress output).
    public private(set) var lastError: KafkaError?

    /// Creates the consumer and subscribes. `onRebalance` runs on the polling thread.
    public init(
        configuration: Configuration,
        onRebalance: @escaping (Rebalance) -> [TopicPartition: Int64] = { _ in [:] }
    ) throws(KafkaError) {
        self.configuration = configuration
        self.rebalanceHandler = onRebalance
        var props = KafkaProperties([
            ("bootstrap.servers", configuration.bootstrapServers),
            ("group.id", configuration.groupId),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", configuration.startPosition == .earliest ? "earliest" : "latest"),
            ("enable.partition.eof", "false"),
            ("partition.assignment.strategy", "range,roundrobin"),
            ("session.timeout.ms", "10000"),
            ("reconnect.backoff.max.ms", "1000"),
            ("log.connection.close", "false"),
        ])
        for (k, v) in configuration.properties.entries { props[k] = v }
        let conf = try props.makeConf()
        let context = CallbackContext()
        self.context = context
        rd_kafka_conf_set_rebalance_cb(conf, KafkaCallbacks.rebalance)
        // The context outlives the handle: it is released only after rd_kafka_destroy in deinit.
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())

        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(.clientCreation, "cannot create consumer: \(stringFromErrorBuffer(errstr))")
        }
        self.handle = rk
        rd_kafka_poll_set_consumer(rk)
        self.queue = rd_kafka_queue_get_consumer(rk)
        self.batch = Array(repeating: nil, count: 4096)
        context.consumer = self

        let list = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(list, topic, weir_rd_kafka_partition_ua())
        }
        let err = rd_kafka_subscribe(rk, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_queue_destroy(queue)
            rd_kafka_destroy(rk)
            throw KafkaError(.subscribe, "cannot subscribe to \(configuration.topics)", error: err)
        }
    }

    deinit {
        // A rebalance during this close must not reach a consumer that is being destroyed.
        context.consumer = nil
        close()
        rd_kafka_queue_destroy(queue)
        rd_kafka_destroy(handle)
    }

    /// Waits up to `timeoutMilliseconds` for records and calls `body` with each, in order
    /// per partition. Rebalances are handled inside. Returns the number of records passed.
    @discardableResult
    public func poll(
        maxMessages: Int = 4096, timeoutMilliseconds: Int32 = 100,
        _ body: (KafkaMessageView) -> Void
    ) -> Int {
        let wanted = min(maxMessages, batch.count)
        let n = batch.withUnsafeMutableBufferPointer { buf in
            rd_kafka_consume_batch_queue(queue, timeoutMilliseconds, buf.baseAddress, wanted)
        }
        guard n > 0 else { return 0 }
        var delivered = 0
        for i in 0..<n {
            guard let message = batch[i] else { continue }
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                body(KafkaMessageView(message: message))
                delivered += 1
            } else {
                let view = KafkaMessageView(message: message)
                lastError = KafkaError(
                    .consume, "consume error", error: message.pointee.err,
                    topic: view.topic, partition: message.pointee.partition)
            }
            rd_kafka_message_destroy(message)
        }
        return delivered
    }

    /// Commits `offsets` (each the next offset to read) to the group coordinator.
    public func commit(_ offsets: [TopicPartition: Int64], asynchronously: Bool = true) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (tp, offset) in offsets {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        let err = rd_kafka_commit(handle, list, asynchronously ? 1 : 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(.commit, "offset commit failed", error: err)
        }
    }

    /// The partition's high watermark as last seen by the fetcher (no network round trip), or `nil`.
    public func cachedHighWatermark(_ tp: TopicPartition) -> Int64? {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_get_watermark_offsets(handle, tp.topic, tp.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return high
    }

    /// The partition's high watermark (the offset its next record will get), asked of the
    /// partition's leader.
    public func queryHighWatermark(_ tp: TopicPartition, timeoutMilliseconds: Int32 = 5_000) throws(KafkaError) -> Int64 {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle, tp.topic, tp.partition, &low, &high, timeoutMilliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.metadata, "watermark query for \(tp.topic)[\(tp.partition)] failed", error: err)
        }
        return high
    }

    /// Leaves the group (revoking the assignment through the handler first). Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        rd_kafka_consumer_close(handle)
    }

    // MARK: - Rebalance (called from KafkaCallbacks on the polling thread)

    fileprivate func handleRebalance(_ err: rd_kafka_resp_err_t, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        var tps: [TopicPartition] = []
        let list = partitions.pointee
        for i in 0..<Int(list.cnt) {
            let elem = list.elems[i]
            tps.append(TopicPartition(topic: String(cString: elem.topic), partition: elem.partition))
        }
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let offsets = rebalanceHandler(.assign(tps))
            for i in 0..<Int(list.cnt) {
                let tp = tps[i]
                list.elems[i].offset = offsets[tp] ?? configuration.startPosition.rawOffset
            }
            let assignErr = rd_kafka_assign(handle, partitions)
            if assignErr == RD_KAFKA_RESP_ERR_NO_ERROR {
                assignment = Set(tps)
            } else {
                lastError = KafkaError(.assign, "assign failed", error: assignErr)
            }
        default:
            _ = rebalanceHandler(.revoke(tps))
            rd_kafka_assign(handle, nil)
            assignment = []
        }
    }

    static func from(opaque: UnsafeMutableRawPointer?) -> KafkaConsumer? {
        guard let opaque else { return nil }
        return Unmanaged<CallbackContext>.fromOpaque(opaque).takeUnretainedValue().consumer
    }
}

/// What librdkafka's opaque pointer refers to. Read and written only on the consumer's
/// polling thread (callbacks run inside poll and close), so it needs no lock.
final class CallbackContext: @unchecked Sendable {
    unowned(unsafe) var consumer: KafkaConsumer?
}

/// C callbacks, kept out of `main.swift` and free of captures so librdkafka's threads
/// never run main-actor code.
enum KafkaCallbacks {
    static let rebalance: @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
    ) -> Void = { rk, err, partitions, opaque in
        guard let partitions else { return }
        guard let consumer = KafkaConsumer.from(opaque: opaque) else {
            rd_kafka_assign(rk, nil)
            return
        }
        consumer.handleRebalance(err, partitions)
    }
}
