import WeirKafka

/// Records behind the high watermarks of a consumer's assigned partitions, from librdkafka's
/// cached watermarks (no broker round trip); nil while none is known yet.
func consumerLag(_ consumer: KafkaConsumer, positions: [Int32: Int64]) -> Int64? {
    var lag: Int64 = 0
    var known = false
    for tp in consumer.assignment {
        guard let high = consumer.cachedHighWatermark(tp) else { continue }
        lag += max(0, high - (positions[tp.partition] ?? 0))
        known = true
    }
    return known ? lag : nil
}
