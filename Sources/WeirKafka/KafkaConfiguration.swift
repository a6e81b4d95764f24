internal import CRdKafka

/// librdkafka configuration properties, applied in order. Values may hold secrets
/// (`sasl.password`), so this type never prints them.
public struct KafkaProperties: Sendable, CustomStringConvertible {
    public private(set) var entries: [(key: String, value: String)] = []

    public init(_ entries: [(String, String)] = []) {
        for (k, v) in entries { self[k] = v }
    }

    /// The value of a property, or `nil`.
    public subscript(key: String) -> String? {
        get { entries.last { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append((key, newValue)) }
        }
    }

    /// Lists the keys only: values can be secrets.
    public var description: String { "KafkaProperties(keys: \(entries.map(\.key)))" }

    /// Builds a librdkafka configuration object; the caller owns it until `rd_kafka_new` takes it.
    func makeConf() throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        KafkaLogging.install(on: conf)
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in entries {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                // The error text names the property, never the value.
                throw KafkaError(.configuration, "invalid Kafka property \(key): \(stringFromErrorBuffer(errstr))")
            }
        }
        return conf
    }
}

/// Special starting positions for a partition with no stored offset.
public enum KafkaStartPosition: String, Sendable {
    case earliest
    case latest

    /// The sentinel offset for this position; a rebalance handler may return it to start a
    /// partition there (e.g. `.earliest` to re-read a partition from the start of the log).
    public var rawOffset: Int64 {
        switch self {
        case .earliest: return weir_rd_kafka_offset_beginning()
        case .latest: return weir_rd_kafka_offset_end()
        }
    }
}
