import Foundation
import Testing
import WeirCore
import WeirVector
@testable import WeirTopology

/// Loading `document_embeddings` topologies: the shipped file, the OpenAI embedder section,
/// and errors that name the field.
struct TopologyLoaderDocumentsTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("topologies/document-embeddings.yaml").path

    @Test func shippedDocumentEmbeddingsFileLoads() throws {
        let t = try TopologyLoader.load(path: Self.path, environment: [:])
        #expect(t.name == "document-embeddings")
        #expect(t.source.topic == "documents")
        #expect(t.aggregate.table.name == "document_embeddings")
        let documents = try #require(t.documents)
        #expect(documents.embedder.dimension == 384)
        #expect(documents.decoder.dimension == 384)
        #expect(documents.decoder.idField.description == "document_id")
        #expect(documents.index.metric == .cosine && documents.index.m == 16 && documents.index.efConstruction == 200)
        #expect(documents.index.dimension == 384)
        #expect(documents.snapshotDirectory == ".weir/state")
        #expect(t.server == TopologyDefinition.HTTPServerSettings(host: "127.0.0.1", port: 8181))
    }

    static func yaml(_ embedder: String, extra: String = "") -> String {
        """
        name: d
        source: {kafka: {bootstrap: "b:9092", topic: docs}}
        embedder:
        \(embedder)
        aggregate: {kind: document_embeddings}
        \(extra)
        sink: {postgres: {url: "postgresql://x/y"}}
        """
    }

    @Test func openAIEmbedderSection() throws {
        let t = try TopologyLoader.parse(yaml: Self.yaml("""
              kind: openai
              base_url: http://127.0.0.1:8000/v1
              model: bge-small
              dimension: 384
              api_key_env: MY_KEY
              batch_size: 16
              timeout_ms: 2500
              max_attempts: 3
            """), file: "d.yaml")
        guard case .openAI(let c) = try #require(t.documents).embedder else { Issue.record("expected openai"); return }
        #expect(c.baseURL == "http://127.0.0.1:8000/v1" && c.model == "bge-small" && c.dimension == 384)
        #expect(c.apiKeyEnvironmentVariable == "MY_KEY" && c.batchSize == 16 && c.timeoutSeconds == 2.5 && c.maxAttempts == 3)
        #expect(t.server == nil)
        #expect(t.aggregate.table.name == "document_embeddings")
    }

    @Test func errorsNameTheField() {
        func message(_ yaml: String) -> String {
            do {
                _ = try TopologyLoader.parse(yaml: yaml, file: "d.yaml")
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message(Self.yaml("  kind: magic")).contains("embedder.kind: unknown embedder kind 'magic'"))
        #expect(message(Self.yaml("  kind: hashing\n  dimension: 3")).contains("embedder.dimension"))
        #expect(message(Self.yaml("  kind: hashing\n  dimenson: 64")).contains("did you mean"))
        #expect(message(Self.yaml("  kind: hashing", extra: "events: {format: json}")).contains("'events' does not apply"))
        #expect(message(Self.yaml("  kind: hashing", extra: "server: {listen: nowhere}")).contains("server.listen"))
        #expect(message(Self.yaml("  kind: hashing", extra: "index: {metric: manhattan}")).contains("index.metric"))
    }
}
