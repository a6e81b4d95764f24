import WeirCore
import WeirKafka
import WeirPostgres

extension TopologyDefinition {
    /// The consumer-group member of this topology's source; `onRebalance` chooses the start
    /// offsets of assigned partitions (Weir reads them from PostgreSQL).
    func makeConsumer(onRebalance: @escaping (KafkaConsumer.Rebalance) -> [TopicPartition: Int64]) throws(TopologyError) -> KafkaConsumer {
        do {
            return try KafkaConsumer(
                configuration: .init(
                    bootstrapServers: source.bootstrapServers, groupId: source.group, topics: [source.topic],
                    startPosition: source.start, properties: source.properties),
                onRebalance: onRebalance)
        } catch {
            throw TopologyError(.source, "\(error)", file: file, field: "source.kafka")
        }
    }

    /// Where this topology's sink writes.
    var sinkConfiguration: PostgresSinkConfiguration {
        PostgresSinkConfiguration(
            url: sink.url, schema: sink.schema, table: aggregate.table, deadLetterTable: sink.deadLetterTable,
            topology: name, consumerGroup: source.group)
    }
}
