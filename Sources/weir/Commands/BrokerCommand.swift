import ArgumentParser
import WeirKafka

/// `weir broker`: the embedded Kafka-protocol broker (librdkafka's mock cluster).
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Serve an in-memory Kafka-protocol broker on loopback until SIGINT/SIGTERM.",
        discussion: "The first line of stdout is the bootstrap address. Data lives in memory and is gone when it stops.")

    @Option(help: "Number of brokers in the cluster.")
    var brokers: Int = 3

    @Option(name: .customLong("topic"), help: "Create a topic, as NAME:PARTITIONS (repeatable).")
    var topics: [String] = []

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be 1...16") }
        for t in topics { _ = try Self.parseTopic(t) }
    }

    static func parseTopic(_ text: String) throws -> (String, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.first, !name.isEmpty else {
            throw ValidationError("--topic must be NAME or NAME:PARTITIONS, got '\(text)'")
        }
        let partitions = parts.count == 2 ? Int(parts[1]) : 1
        guard let partitions, (1...1024).contains(partitions) else {
            throw ValidationError("--topic partitions must be 1...1024, got '\(text)'")
        }
        return (String(name), partitions)
    }

    func run() throws {
        let signals = ShutdownSignal()
        let broker = try EmbeddedKafkaBroker(brokers: brokers)
        for t in topics {
            let (name, partitions) = try Self.parseTopic(t)
            try broker.createTopic(name, partitions: partitions)
        }
        Console.out(broker.bootstrapServers)
        Console.err("weir broker: \(brokers) broker(s) on \(broker.bootstrapServers); topics: \(topics.isEmpty ? "(none; clients may auto-create)" : topics.joined(separator: ", ")). Ctrl-C to stop.")
        signals.wait()
        broker.shutdown()
        Console.err("weir broker: stopped")
    }
}
