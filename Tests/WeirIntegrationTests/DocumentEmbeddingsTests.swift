import Foundation
import Logging
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology
import WeirVector

extension Integration {
    /// The embeddings pipeline end to end: documents with updates, tombstones, ready vectors
    /// and bad records go through the embedded broker into the real pgvector table and the
    /// in-process index, which must hold the same documents; restarts load the index from its
    /// snapshot, and a corrupt snapshot falls back to catching up from the table.
    @Suite("Documents: Kafka to pgvector and the HNSW index")
    struct DocumentEmbeddingsTests {
        static let dimension = 64
        static let words = ["river", "stream", "kafka", "index", "vector", "search", "window", "metric", "cohort",
                            "retention", "graph", "swift", "postgres", "table", "shard", "snapshot", "query", "user"]

        static func topology(bootstrap: String, topic: String, group: String, url: String, schema: String, stateDir: String, listen: String = "127.0.0.1:0") throws -> TopologyDefinition {
            try TopologyLoader.parse(
                yaml: """
                    name: test-documents
                    source:
                      kafka:
                        bootstrap: \(bootstrap)
                        topic: \(topic)
                        group: \(group)
                        properties:
                          session.timeout.ms: "6000"
                    embedder:
                      kind: hashing
                      dimension: \(dimension)
                    index:
                      m: 12
                      ef_construction: 100
                      ef_search: 100
                      snapshot_dir: \(stateDir)
                      snapshot_interval_ms: 100
                    aggregate:
                      kind: document_embeddings
                      table: document_embeddings
                    server:
                      listen: \(listen)
                    sink:
                      postgres:
                        url: ${URL}
                        schema: \(schema)
                        commit_interval_ms: 200
                    """,
                file: "documents-test.yaml", environment: ["URL": url])
        }

        /// The generated stream and what the table must hold at the end.
        struct Stream {
            var records: [(key: [UInt8]?, value: [UInt8]?)] = []
            var live: [String: (content: String, status: String, embedding: [Float]?)] = [:]
            var refused = 0
        }

        static func makeStream(documents: Int, seed: UInt64) -> Stream {
            var rng = SplitMix64(seed: seed)
            var stream = Stream()
            func text() -> String { (0..<8).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ") }
            func upsert(_ id: String, carried: Bool) {
                let content = text() + " \(id)"
                let status = rng.next() % 3 == 0 ? "draft" : "active"
                var embedding: [Float]?
                var json = "{\"document_id\":\"\(id)\",\"content\":\"\(content)\",\"metadata\":{\"status\":\"\(status)\",\"n\":\(rng.next() % 100),\"tags\":[\"a\"]}"
                if carried {
                    let v = (0..<dimension).map { _ in Float(rng.nextUnit()) - 0.5 }
                    embedding = v
                    json += ",\"embedding\":\(VectorLiteral.format(v))"
                }
                json += "}"
                stream.records.append((Array(id.utf8), Array(json.utf8)))
                stream.live[id] = (content, status, embedding)
            }
            for i in 0..<documents { upsert("doc-\(i)", carried: i % 10 == 0) }
            for _ in 0..<(documents / 5) { upsert("doc-\(rng.next() % UInt64(documents))", carried: false) }
            for _ in 0..<(documents / 10) {
                let id = "doc-\(rng.next() % UInt64(documents))"
                stream.records.append((Array(id.utf8), nil))
                stream.live[id] = nil
            }
            let bad: [String] = [
                "{not json",
                "{\"content\":\"no id\"}",
                "{\"document_id\":\"bad-dim\",\"content\":\"x\",\"embedding\":[1,2,3]}",
                "{\"document_id\":\"bad-meta\",\"content\":\"x\",\"metadata\":[1]}",
                "{\"document_id\":\"\(String(repeating: "x", count: 300))\",\"content\":\"long id\"}",
            ]
            for b in bad { stream.records.append((Array("bad".utf8), Array(b.utf8))) }
            stream.refused = bad.count
            return stream
        }

        static func tableRows(url: String, schema: String) throws -> [String: (content: String, embedding: [Float], status: String)] {
            let connection = try PostgresConnection(url: url)
            let rows = try connection.execute(
                "SELECT document_id, content, embedding::text, metadata->>'status' FROM \"\(schema)\".document_embeddings")
            var result: [String: (content: String, embedding: [Float], status: String)] = [:]
            for row in rows.rows {
                result[row[0]!] = (row[1]!, VectorLiteral.parse(row[2]!)!, row[3] ?? "")
            }
            return result
        }

        @Test("table and index hold the same documents; restarts load snapshots or catch up from the table")
        func tableAndIndexAgreeAcrossRestarts() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 1)
            defer { broker.shutdown() }
            let topic = "documents"
            try broker.createTopic(topic, partitions: 3)
            let stream = Self.makeStream(documents: 600, seed: 11)
            let producer = try KafkaProducer(bootstrapServers: broker.bootstrapServers)
            for r in stream.records { try producer.send(topic: topic, key: r.key, value: r.value) }
            try producer.flush()
            producer.close()

            let schema = TestServices.uniqueName("docs")
            let group = TestServices.uniqueName("g")
            let stateDir = NSTemporaryDirectory() + TestServices.uniqueName("weir-state")
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let definition = try Self.topology(bootstrap: broker.bootstrapServers, topic: topic, group: group, url: url, schema: schema, stateDir: stateDir)

            // First run: everything from the topic.
            let first = try DocumentEmbeddingsJob(definition: definition, logger: Logger(label: "test"))
            let runner = JobRunner(job: first)
            let caughtUp = runner.waitForCommitted(Int64(stream.records.count))
            #expect(caughtUp, "not all records committed: \(first.progress)")
            #expect(first.progress.deadLetters == Int64(stream.refused))

            let rows = try Self.tableRows(url: url, schema: schema)
            #expect(Set(rows.keys) == Set(stream.live.keys), "table ids differ from the oracle")
            #expect(first.index.ids == Set(rows.keys), "index ids differ from the table")
            let embedder = try HashingEmbedder(dimension: Self.dimension)
            for (id, want) in stream.live {
                guard let row = rows[id] else { continue }
                #expect(row.content == want.content, "content of \(id)")
                #expect(row.status == want.status, "status of \(id)")
                let expected = want.embedding ?? embedder.embed(text: want.content)
                let maxError = zip(row.embedding, expected).map { abs($0 - $1) }.max() ?? 1
                #expect(maxError < 1e-5, "embedding of \(id) off by \(maxError)")
            }
            let connection = try PostgresConnection(url: url)
            let letters = try connection.execute("SELECT reason_code FROM \"\(schema)\".weir_dead_letters ORDER BY 1").rows.compactMap { $0[0] }
            #expect(Set(letters) == ["invalid_document_id", "invalid_embedding", "invalid_metadata", "malformed_json", "missing_document_id"])

            // The product brief's query, unchanged, on the table Weir wrote.
            let probe = embedder.embed(text: "kafka vector search")
            try connection.execute("SET search_path TO \"\(schema)\", public")
            let brief = try connection.execute(
                "SELECT document_id, content, 1 - (embedding <=> $1) AS similarity FROM document_embeddings WHERE metadata->>'status' = 'active' ORDER BY embedding <=> $1 LIMIT 10",
                [.text(VectorLiteral.format(probe))])
            #expect(brief.rows.count == 10)
            let exact = rows.filter { $0.value.status == "active" }
                .map { ($0.key, VectorMetric.cosine.distance(probe, $0.value.embedding)) }
                .sorted { $0.1 < $1.1 }.prefix(10).map(\.0)
            let briefIDs = brief.rows.compactMap { $0[0] }
            #expect(Set(briefIDs).intersection(exact).count >= 9, "pgvector's answer \(briefIDs) vs brute force \(exact)")
            let fromIndex = try first.index.search(probe, k: 10, filter: .equals("status", "active")).map(\.id)
            #expect(fromIndex.allSatisfy { rows[$0]?.status == "active" })
            #expect(Set(fromIndex).intersection(exact).count >= 9, "index answer \(fromIndex) vs brute force \(exact)")
            #expect(runner.stop() == nil)
            #expect(first.index.count == 0, "revoked partitions leave the index")

            // Second run: shards load from their snapshots, nothing is replayed.
            let second = try DocumentEmbeddingsJob(definition: definition, logger: Logger(label: "test"))
            let secondRunner = JobRunner(job: second)
            let loaded = Self.waitUntil { second.progress.assignedPartitions == 3 && second.index.count == rows.count }
            #expect(loaded, "the index was not restored: \(second.index.count) of \(rows.count)")
            #expect(second.index.ids == Set(rows.keys))
            #expect(secondRunner.stop() == nil)
            #expect(second.progress.recordsReplayedIntoIndex == 0, "a snapshot load should replay nothing")

            // Corrupt every current snapshot and remove the previous ones: the third run must
            // notice, rebuild from the log, and catch up from the table.
            let files = try FileManager.default.subpathsOfDirectory(atPath: stateDir).filter { $0.hasSuffix(".hnsw") }
            #expect(files.count == 3, "expected one snapshot per partition, found \(files)")
            for file in files {
                let path = stateDir + "/" + file
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                bytes[bytes.count / 2] ^= 0xFF
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                try? FileManager.default.removeItem(atPath: path + ".prev")
            }
            let third = try DocumentEmbeddingsJob(definition: definition, logger: Logger(label: "test"))
            let thirdRunner = JobRunner(job: third)
            let rebuilt = Self.waitUntil { third.progress.assignedPartitions == 3 && third.index.count == rows.count && third.progress.recordsReplayedIntoIndex > 0 }
            #expect(rebuilt, "the index was not rebuilt: \(third.index.count) of \(rows.count), \(third.progress)")
            #expect(third.index.ids == Set(rows.keys))
            #expect(thirdRunner.stop() == nil)
            #expect(try Self.tableRows(url: url, schema: schema).count == rows.count, "catching up must not write the table")
        }

        static func waitUntil(timeout: Double = 60, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
    }
}
