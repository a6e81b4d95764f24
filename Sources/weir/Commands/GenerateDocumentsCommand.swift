import ArgumentParser
import Foundation
import WeirCore
import WeirKafka

/// `weir generate-documents`: deterministic documents (with updates and tombstones) for the
/// document-embeddings topology, to a Kafka topic keyed by document id.
struct GenerateDocumentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-documents",
        abstract: "Write deterministic documents, updates and tombstones to a Kafka topic (keyed by document_id).")

    @Option(help: "Kafka bootstrap servers.")
    var bootstrap: String

    @Option(help: "Kafka topic.")
    var topic: String = "documents"

    @Option(help: "Distinct documents.")
    var documents: Int = 10_000

    @Option(help: "Updates of earlier documents, as a fraction of --documents.")
    var updates: Double = 0.1

    @Option(help: "Tombstones (deletes) of earlier documents, as a fraction of --documents.")
    var deletes: Double = 0.02

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    func validate() throws {
        guard documents > 0 else { throw ValidationError("--documents must be > 0") }
        guard (0...10).contains(updates), (0...1).contains(deletes) else { throw ValidationError("--updates in 0...10, --deletes in 0...1") }
    }

    func run() throws {
        var generator = DocumentGenerator(configuration: .init(documents: documents, updateFraction: updates, deleteFraction: deletes, seed: seed))
        let producer = try KafkaProducer(bootstrapServers: bootstrap)
        var count = 0
        var tombstones = 0
        while let record = generator.next() {
            try producer.send(topic: topic, key: record.key, value: record.value)
            count += 1
            if record.value == nil { tombstones += 1 }
            if count % 5_000 == 0 { producer.poll() }
        }
        try producer.flush()
        producer.close()
        Console.err("weir generate-documents: \(Console.grouped(count)) records (\(Console.grouped(tombstones)) tombstones) -> topic \(topic)")
    }
}
