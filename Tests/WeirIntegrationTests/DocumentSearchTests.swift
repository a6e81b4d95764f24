import Foundation
import Logging
import Prometheus
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirServer
import WeirTopology
import WeirVector

extension Integration {
    /// `weir search` against a running topology's HTTP server (its in-process index) and
    /// against the pgvector table, with and without a metadata filter.
    @Suite("Documents: weir search over HTTP and PostgreSQL")
    struct DocumentSearchTests {
        @Test("weir search finds a document by its own text in the index and in the table, and honours filters")
        func searchOverHTTPAndPostgres() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 1)
            defer { broker.shutdown() }
            let topic = "documents"
            try broker.createTopic(topic, partitions: 2)
            let stream = DocumentEmbeddingsTests.makeStream(documents: 300, seed: 5)
            try TestServices.produce(broker.bootstrapServers, topic: topic, stream.records.compactMap { r in r.value.map { (r.key, $0) } })
            let tombstones = stream.records.filter { $0.value == nil }
            let producer = try KafkaProducer(bootstrapServers: broker.bootstrapServers)
            for t in tombstones { try producer.send(topic: topic, key: t.key, value: nil) }
            try producer.flush()
            producer.close()

            let schema = TestServices.uniqueName("search")
            let stateDir = NSTemporaryDirectory() + TestServices.uniqueName("weir-state")
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let definition = try DocumentEmbeddingsTests.topology(
                bootstrap: broker.bootstrapServers, topic: topic, group: TestServices.uniqueName("g"), url: url, schema: schema,
                stateDir: stateDir)
            let job = try DocumentEmbeddingsJob(definition: definition, logger: Logger(label: "test"))
            let runner = JobRunner(job: job)
            defer { runner.stop() }
            #expect(runner.waitForCommitted(Int64(stream.records.count)), "not all records committed: \(job.progress)")

            let port = LockedBox<Int>(0)
            let server = WeirHTTPServer(
                host: "127.0.0.1", port: 0, registry: PrometheusCollectorRegistry(),
                search: VectorSearchService(index: job.index, embedder: job.embedder), logger: Logger(label: "test.http"))
            let serving = Task { try await server.run { port.set($0) } }
            defer { serving.cancel() }
            #expect(DocumentEmbeddingsTests.waitUntil(timeout: 20) { port.get() != 0 })

            // A topology file for the CLI: the same topology, with this test's names.
            let file = NSTemporaryDirectory() + TestServices.uniqueName("documents") + ".yaml"
            try """
                name: test-documents
                source: {kafka: {bootstrap: "\(broker.bootstrapServers)", topic: \(topic), group: unused}}
                embedder: {kind: hashing, dimension: \(DocumentEmbeddingsTests.dimension)}
                aggregate: {kind: document_embeddings, table: document_embeddings}
                server: {listen: "127.0.0.1:\(port.get())"}
                sink: {postgres: {url: "\(url)", schema: \(schema)}}
                """.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }

            let target = try #require(stream.live.sorted { $0.key < $1.key }.first { $0.value.embedding == nil })
            for source in ["http", "postgres"] {
                let result = try CLI.run(["search", file, "--text", target.value.content, "-k", "5", "--source", source, "--format", "json"])
                #expect(result.status == 0, "weir search --source \(source): \(result.stderr)")
                let answer = try JSONDecoder().decode(SearchResponse.self, from: Data(result.stdout.utf8))
                #expect(answer.results.count == 5, "\(source): \(result.stdout)")
                #expect(answer.results.first?.document_id == target.key, "\(source): the document's own text must rank it first: \(result.stdout)")
                #expect((answer.results.first?.similarity ?? 0) > 0.999, "\(source)")

                let filtered = try CLI.run(["search", file, "--text", "kafka stream", "-k", "10", "--filter", "status=draft", "--source", source, "--format", "json"])
                #expect(filtered.status == 0, "\(source) filtered: \(filtered.stderr)")
                let drafts = try JSONDecoder().decode(SearchResponse.self, from: Data(filtered.stdout.utf8))
                #expect(drafts.results.count == 10, "\(source): a selective filter still returns k results")
                #expect(drafts.results.allSatisfy { stream.live[$0.document_id]?.status == "draft" }, "\(source): \(filtered.stdout)")
            }
            // Deleted documents are never returned.
            let deleted = Set(tombstones.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }).subtracting(stream.live.keys)
            #expect(!deleted.isEmpty)
            for id in deleted.prefix(3) {
                let result = try CLI.run(["search", file, "--text", id, "-k", "20", "--format", "json"])
                let answer = try JSONDecoder().decode(SearchResponse.self, from: Data(result.stdout.utf8))
                #expect(!answer.results.contains { $0.document_id == id }, "deleted \(id) came back")
            }
            // Clear errors: no query, and a vector of the wrong dimension.
            #expect(try CLI.run(["search", file]).status != 0)
            let wrong = try CLI.run(["search", file, "--vector", "[1,2,3]"])
            #expect(wrong.status == 2 && wrong.stderr.contains("dimension"), "\(wrong.stderr)")
        }
    }
}
