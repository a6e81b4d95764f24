internal import CRdKafka
import Synchronization

/// A Kafka producer over librdkafka. Thread-safe: librdkafka's producer handle may be used
/// from any thread, and Weir's own bookkeeping sits behind a `Mutex`.
///
/// Delivery is asynchronous: ``send(topic:key:value:)`` queues, ``flush(timeoutMilliseconds:)``
/// waits for every queued record and reports the first delivery failure.
public final class KafkaProducer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let closed = Atomic<Bool>(false)
    private let topics = Mutex<[String: OpaquePointer]>([:])
    private let reports: DeliveryReports

    /// Creates a producer for `bootstrapServers`; `properties` override Weir's defaults.
    public init(bootstrapServers: String, properties: KafkaProperties = KafkaProperties()) throws(KafkaError) {
        var props = KafkaProperties([
            ("bootstrap.servers", bootstrapServers),
            ("linger.ms", "5"),
            ("batch.num.messages", "10000"),
            ("queue.buffering.max.messages", "500000"),
            ("enable.idempotence", "true"),
            ("compression.type", "lz4"),
            ("reconnect.backoff.max.ms", "1000"),
            ("log.connection.close", "false"),
        ])
        for (k, v) in properties.entries { props[k] = v }
        let conf = try props.makeConf()
        let reports = DeliveryReports()
        self.reports = reports
        rd_kafka_conf_set_dr_msg_cb(conf, KafkaProducerCallbacks.delivery)
        // `reports` lives as long as this producer, which destroys the handle in deinit.
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(reports).toOpaque())
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(.clientCreation, "cannot create producer: \(stringFromErrorBuffer(errstr))")
        }
        handle = rk
    }

    deinit { close() }

    /// Flushes (up to 5 s) and destroys the client. Call it once every sender has stopped,
    /// and before the broker it talks to goes away. Idempotent; later sends throw.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = rd_kafka_flush(handle, 5000)
        for (_, rkt) in topics.withLock({ $0 }) { rd_kafka_topic_destroy(rkt) }
        rd_kafka_destroy(handle)
    }

    /// Records whose delivery failed so far.
    public var failedDeliveries: Int { reports.state.withLock { $0.failed } }
    /// Records delivered so far.
    public var deliveredCount: Int { reports.state.withLock { $0.delivered } }

    /// Queues one record. When librdkafka's queue is full it serves delivery reports and retries.
    public func send(
        topic: String, partition: Int32? = nil,
        key: UnsafeBufferPointer<UInt8>?, value: UnsafeBufferPointer<UInt8>?
    ) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else {
            throw KafkaError(.produce, "producer is closed", topic: topic, partition: partition)
        }
        let rkt = try topicHandle(topic)
        while true {
            let rc = rd_kafka_produce(
                rkt, partition ?? weir_rd_kafka_partition_ua(), RD_KAFKA_MSG_F_COPY,
                value.flatMap { UnsafeMutableRawPointer(mutating: $0.baseAddress) }, value?.count ?? 0,
                key.flatMap { UnsafeRawPointer($0.baseAddress) }, key?.count ?? 0, nil)
            if rc == 0 { return }
            let err = rd_kafka_last_error()
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_poll(handle, 50)
                continue
            }
            throw KafkaError(.produce, "produce failed", error: err, topic: topic, partition: partition)
        }
    }

    /// Convenience for byte arrays.
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?) throws(KafkaError) {
        let k = key
        let v = value
        var failure: KafkaError?
        withOptionalBuffer(k) { kb in
            withOptionalBuffer(v) { vb in
                do throws(KafkaError) {
                    try send(topic: topic, partition: partition, key: kb, value: vb)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    /// Serves delivery reports without blocking.
    public func poll() {
        guard !closed.load(ordering: .acquiring) else { return }
        rd_kafka_poll(handle, 0)
    }

    /// Waits until every queued record is delivered or failed. Throws on a timeout or when
    /// any delivery failed since the last flush.
    public func flush(timeoutMilliseconds: Int32 = 30_000) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { return }
        let err = rd_kafka_flush(handle, timeoutMilliseconds)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(.flush, "flush did not complete in \(timeoutMilliseconds) ms", error: err)
        }
        if let failure = reports.state.withLock({ s -> KafkaError? in
            defer { s.firstFailure = nil }
            return s.firstFailure
        }) {
            throw failure
        }
    }

    private func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        let result: OpaquePointer? = topics.withLock { cache in
            if let rkt = cache[name] { return rkt }
            guard let rkt = rd_kafka_topic_new(handle, name, nil) else { return nil }
            cache[name] = rkt
            return rkt
        }
        guard let result else {
            throw KafkaError(.produce, "cannot create topic handle", error: rd_kafka_last_error(), topic: name)
        }
        return result
    }
}

private func withOptionalBuffer(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> Void) {
    if let bytes { bytes.withUnsafeBufferPointer { body($0) } } else { body(nil) }
}

/// Delivery-report counters, written by librdkafka's callback (on the thread that polls)
/// and read by anyone; the `Mutex` makes that safe.
final class DeliveryReports: Sendable {
    struct State {
        var delivered = 0
        var failed = 0
        var firstFailure: KafkaError?
    }
    let state = Mutex(State())
}

enum KafkaProducerCallbacks {
    static let delivery: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, opaque in
        guard let message, let opaque else { return }
        let reports = Unmanaged<DeliveryReports>.fromOpaque(opaque).takeUnretainedValue()
        let err = message.pointee.err
        reports.state.withLock { s in
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                s.delivered += 1
            } else {
                s.failed += 1
                if s.firstFailure == nil {
                    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) }
                    s.firstFailure = KafkaError(.produce, "delivery failed", error: err, topic: topic, partition: message.pointee.partition)
                }
            }
        }
    }
}
