import ArgumentParser
import Foundation
import Logging
import WeirPostgres
import WeirServer
import WeirTopology
import WeirVector

/// `weir search TOPOLOGY --text ... | --vector ...`: nearest documents, asked of the running
/// process over HTTP (its in-process index) or, with `--source postgres`, of the pgvector table.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the documents of a running document_embeddings topology.")

    enum Source: String, ExpressibleByArgument, CaseIterable {
        case http, postgres
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "The topology file (YAML) of the running process.")
    var topology: String

    @Option(help: "Text to search for (embedded with the topology's embedder).")
    var text: String?

    @Option(help: "A ready query vector, e.g. \"[0.1, 0.2, ...]\".")
    var vector: String?

    @Option(name: .short, help: "How many results.")
    var k: Int = 10

    @Option(help: "Metadata filter KEY=VALUE; repeat for several (all must match).")
    var filter: [String] = []

    @Option(help: "Where to search: http (the running process's index) or postgres (the pgvector table).")
    var source: Source = .http

    @Option(help: "The running process's URL; default: the topology's server.listen.")
    var server: String?

    @Option(help: "PostgreSQL URL for --source postgres; overrides sink.postgres.url.")
    var postgres: String?

    @Option(help: "PostgreSQL schema for --source postgres; overrides sink.postgres.schema.")
    var schema: String?

    @Option(help: "Search beam width (HNSW ef; hnsw.ef_search for postgres).")
    var ef: Int?

    @Option(help: "Output: table or json.")
    var format: Format = .table

    func validate() throws {
        guard (text == nil) != (vector == nil) else { throw ValidationError("give exactly one of --text and --vector") }
        guard (1...1000).contains(k) else { throw ValidationError("-k must be in 1...1000") }
        for pair in filter where !pair.contains("=") { throw ValidationError("--filter expects KEY=VALUE, got '\(pair)'") }
    }

    func run() throws {
        Console.bootstrapLogging(level: .warning)
        var definition: TopologyDefinition
        do {
            definition = try TopologyLoader.load(path: topology)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
        guard let pipeline = definition.documents else {
            Console.err("error: \(topology) is not a document_embeddings topology")
            throw ExitCode(2)
        }
        var queryVector: [Float]?
        if let vector {
            guard let parsed = VectorLiteral.parse(vector) else {
                Console.err("error: --vector: expected [x, y, ...] of finite numbers")
                throw ExitCode(2)
            }
            guard parsed.count == pipeline.embedder.dimension else {
                Console.err("error: --vector has \(parsed.count) numbers; the topology's embedder has dimension \(pipeline.embedder.dimension)")
                throw ExitCode(2)
            }
            queryVector = parsed
        }
        let pairs: [(key: String, value: String)] = filter.map { pair in
            let equals = pair.firstIndex(of: "=")!
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
        switch source {
        case .http:
            try searchHTTP(definition: definition, vector: queryVector, pairs: pairs)
        case .postgres:
            if let postgres { definition.sink.url = postgres }
            if let schema { definition.sink.schema = try SQLIdentifier(schema) }
            try searchPostgres(definition: definition, pipeline: pipeline, vector: queryVector, pairs: pairs)
        }
    }

    private func searchHTTP(definition: TopologyDefinition, vector: [Float]?, pairs: [(key: String, value: String)]) throws {
        let base: String
        if let server {
            base = server.hasPrefix("http") ? server : "http://\(server)"
        } else if let settings = definition.server {
            base = "http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(settings.port)"
        } else {
            Console.err("error: the topology has no server.listen; pass --server URL or --source postgres")
            throw ExitCode(2)
        }
        let request = SearchRequest(text: text, vector: vector, k: k, ef: ef, filter: pairs.isEmpty ? nil : Dictionary(pairs, uniquingKeysWith: { $1 }))
        guard let url = URL(string: base + "/v1/search") else {
            Console.err("error: --server: not a URL: \(base)")
            throw ExitCode(2)
        }
        let response: HTTPPost.Response
        do {
            response = try HTTPPost(timeoutSeconds: 60).send(
                url: url, headers: ["Content-Type": "application/json"], body: Array(try JSONEncoder().encode(request)), timeoutSeconds: 60)
        } catch {
            Console.err("error: cannot reach the running topology at \(base) (\(error)); is `weir run \(topology)` running?")
            throw ExitCode(1)
        }
        guard response.status == 200 else {
            Console.err("error: \(base) answered HTTP \(response.status): \(String(decoding: response.body, as: UTF8.self))")
            throw ExitCode(1)
        }
        if format == .json {
            Console.out(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            return
        }
        let answer = try JSONDecoder().decode(SearchResponse.self, from: Data(response.body))
        Console.out("rank  similarity  document_id  metadata   (\(answer.indexed) documents in the index)")
        for (i, hit) in answer.results.enumerated() {
            let metadata = hit.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            Console.out("\(String(i + 1).padding(toLength: 4, withPad: " ", startingAt: 0))  \(String(format: "%.4f", hit.similarity))      \(hit.document_id)  \(metadata)")
        }
    }

    private func searchPostgres(
        definition: TopologyDefinition, pipeline: TopologyDefinition.DocumentPipeline, vector: [Float]?,
        pairs: [(key: String, value: String)]
    ) throws {
        var query = vector
        if query == nil, let text {
            do {
                let embedder = try DocumentEmbeddingsJob.makeEmbedder(
                    pipeline.embedder, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "weir.search"))
                query = try embedder.embed([text])[0]
            } catch {
                Console.err("error: cannot embed the query: \(error)")
                throw ExitCode(1)
            }
        }
        guard let query else { return }
        let hits: [PostgresDocumentHit]
        do {
            let search = try PostgresDocumentSearch(url: definition.sink.url, schema: definition.sink.schema, table: definition.aggregate.table)
            hits = try search.search(vector: VectorLiteral.format(query), k: k, filter: pairs, efSearch: ef ?? 100)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(1)
        }
        if format == .json {
            let results = hits.map { hit in
                SearchResponse.Hit(
                    document_id: hit.documentID, similarity: hit.similarity, distance: 1 - hit.similarity,
                    metadata: DocumentDecoder.metadataStrings(json: hit.metadataJSON))
            }
            let data = try JSONEncoder().encode(SearchResponse(results: results, indexed: -1))
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        Console.out("rank  similarity  document_id  content")
        for (i, hit) in hits.enumerated() {
            Console.out("\(String(i + 1).padding(toLength: 4, withPad: " ", startingAt: 0))  \(String(format: "%.4f", hit.similarity))      \(hit.documentID)  \(hit.content.prefix(80))")
        }
    }
}
