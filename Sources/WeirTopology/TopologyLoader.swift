import Foundation
import WeirCore
import WeirKafka
import WeirPostgres
import Yams

/// Reads topology files (YAML) into a ``TopologyDefinition``, reporting every problem with
/// the file, line and field.
///
/// The format:
/// ```yaml
/// name: product-analytics
/// source:
///   kafka:
///     bootstrap: ${WEIR_BOOTSTRAP:-127.0.0.1:9092}
///     topic: events
///     group: weir-product-analytics
///     start: earliest              # or latest; for partitions with no stored offset
///     properties: {}               # extra librdkafka properties
/// events:
///   format: json
///   user_id: properties.user_id
///   timestamp: properties.timestamp
///   min_timestamp: 2000-01-01T00:00:00Z
///   max_future_seconds: 86400
///   max_message_bytes: 1048576
/// aggregate:
///   kind: daily_active_users
///   table: dau
/// sink:
///   postgres:
///     url: ${WEIR_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/weir}
///     schema: public
///     dead_letter_table: weir_dead_letters
///     commit_interval_ms: 1000
///     max_pending_events: 500000
/// ```
public enum TopologyLoader {
    /// Loads and validates a topology file.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(TopologyError) -> TopologyDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TopologyError(.unreadableFile, "cannot read topology file: \(error.localizedDescription)", file: path)
        }
        return try parse(yaml: text, file: path, environment: environment)
    }

    /// Parses topology YAML; `file` names it in errors.
    public static func parse(yaml: String, file: String, environment: [String: String] = [:]) throws(TopologyError) -> TopologyDefinition {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw TopologyError(.syntax, "the file is empty", file: file)
            }
            root = node
        } catch let error as TopologyError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw TopologyError(.syntax, "\(error)", file: file)
        }

        let top = try YAMLObject(file: file, path: "", node: root, environment: environment)
        try top.rejectUnknownKeys(["name", "source", "events", "documents", "embedder", "index", "aggregate", "state", "server", "sink"])
        let name = try top.requireString("name")

        // source.kafka
        let source = try top.requireObject("source")
        try source.rejectUnknownKeys(["kafka"])
        let kafka = try source.requireObject("kafka")
        try kafka.rejectUnknownKeys(["bootstrap", "topic", "group", "start", "properties"])
        let startText = try kafka.string("start") ?? "earliest"
        guard let start = KafkaStartPosition(rawValue: startText) else {
            throw kafka.error(.invalidValue, "expected 'earliest' or 'latest', got '\(startText)'", key: "start", at: kafka.value("start"))
        }
        let kafkaSource = TopologyDefinition.KafkaSource(
            bootstrapServers: try kafka.requireString("bootstrap"),
            topic: try kafka.requireString("topic"),
            group: try kafka.string("group") ?? "weir-\(name)",
            start: start,
            properties: KafkaProperties(try kafka.stringMap("properties")))

        // aggregate
        let aggregateObject = try top.requireObject("aggregate")
        let kind = try aggregateObject.requireString("kind")
        let kinds = ["active_users", "daily_active_users", "document_embeddings"]
        guard kinds.contains(kind) else {
            throw aggregateObject.error(.invalidValue, "unknown aggregate kind '\(kind)' (expected: \(kinds.joined(separator: ", ")))", key: "kind", at: aggregateObject.value("kind"))
        }
        try aggregateObject.rejectUnknownKeys(kind == "active_users" ? activeUsersAggregateKeys : ["kind", "table"])
        if kind != "active_users" {
            try top.rejectSections(["state"], because: "it belongs to active_users topologies")
        }
        let aggregate: TopologyDefinition.Aggregate
        var documents: TopologyDefinition.DocumentPipeline?
        var activeUsers: TopologyDefinition.ActiveUsersPipeline?
        var decoder = ActivityEventDecoder.Configuration()
        switch kind {
        case "daily_active_users":
            try top.rejectSections(["documents", "embedder", "index"], because: "they belong to document_embeddings topologies")
            aggregate = .dailyActiveUsers(table: try identifier(aggregateObject, "table", default: "dau"))
            decoder = try activityEvents(top.requireObject("events"))
        case "active_users":
            try top.rejectSections(["documents", "embedder", "index"], because: "they belong to document_embeddings topologies")
            aggregate = .activeUsers(table: try identifier(aggregateObject, "table", default: "active_users"))
            decoder = try activityEvents(top.requireObject("events"))
            activeUsers = try activeUsersPipeline(aggregate: aggregateObject, top: top)
        case "document_embeddings":
            try top.rejectSections(["events"], because: "it belongs to daily_active_users and active_users topologies")
            aggregate = .documentEmbeddings(table: try identifier(aggregateObject, "table", default: "document_embeddings"))
            documents = try documentPipeline(top)
        default:
            throw aggregateObject.error(.invalidValue, "unknown aggregate kind '\(kind)' (expected: active_users, daily_active_users, document_embeddings)", key: "kind", at: aggregateObject.value("kind"))
        }
        let server = try serverSettings(top.object("server"))

        // sink.postgres
        let sinkObject = try top.requireObject("sink")
        try sinkObject.rejectUnknownKeys(["postgres"])
        let postgres = try sinkObject.requireObject("postgres")
        try postgres.rejectUnknownKeys(["url", "schema", "dead_letter_table", "commit_interval_ms", "max_pending_events"])
        let sink = TopologyDefinition.PostgresSink(
            url: try postgres.requireString("url"),
            schema: try identifier(postgres, "schema", default: "public"),
            deadLetterTable: try identifier(postgres, "dead_letter_table", default: "weir_dead_letters"),
            commitIntervalMilliseconds: try postgres.int("commit_interval_ms", range: 10...600_000) ?? 5000,
            maxPendingEvents: try postgres.int("max_pending_events", range: 1...100_000_000) ?? 500_000)

        return TopologyDefinition(
            name: name, file: file, source: kafkaSource, events: decoder,
            aggregate: aggregate, sink: sink, documents: documents, activeUsers: activeUsers, server: server)
    }

    private static func activityEvents(_ events: YAMLObject) throws(TopologyError) -> ActivityEventDecoder.Configuration {
        try events.rejectUnknownKeys(["format", "user_id", "timestamp", "min_timestamp", "max_future_seconds", "max_message_bytes"])
        let format = try events.string("format") ?? "json"
        guard format == "json" else {
            throw events.error(.invalidValue, "only 'json' is supported, got '\(format)'", key: "format", at: events.value("format"))
        }
        var decoder = ActivityEventDecoder.Configuration()
        decoder.userIdField = try fieldPath(events, "user_id", default: "properties.user_id")
        decoder.timestampField = try fieldPath(events, "timestamp", default: "properties.timestamp")
        if let minText = try events.string("min_timestamp") {
            let parsed: Int64? = Array(minText.utf8).withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
            guard let parsed else {
                throw events.error(.invalidValue, "expected an RFC 3339 time such as 2000-01-01T00:00:00Z, got '\(minText)'", key: "min_timestamp", at: events.value("min_timestamp"))
            }
            decoder.minTimestampMillis = parsed
        }
        if let seconds = try events.int("max_future_seconds", range: 0...(10 * 365 * 86_400)) {
            decoder.maxFutureMillis = Int64(seconds) * 1000
        }
        if let bytes = try events.int("max_message_bytes", range: 64...(64 << 20)) {
            decoder.maxMessageBytes = bytes
        }

        return decoder
    }

    static func fieldPath(_ object: YAMLObject, _ key: String, default fallback: String) throws(TopologyError) -> JSONFieldPath {
        let text = try object.string(key) ?? fallback
        guard let path = JSONFieldPath(text) else {
            throw object.error(.invalidValue, "expected a dotted JSON field path such as properties.user_id, got '\(text)'", key: key, at: object.value(key))
        }
        return path
    }

    static func identifier(_ object: YAMLObject, _ key: String, default fallback: String) throws(TopologyError) -> SQLIdentifier {
        let text = try object.string(key) ?? fallback
        do {
            return try SQLIdentifier(text)
        } catch {
            throw object.error(.invalidValue, error.message, key: key, at: object.value(key))
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> TopologyError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return TopologyError(.syntax, "invalid YAML: \(problem)", file: file, line: mark.line, column: mark.column)
        default:
            return TopologyError(.syntax, "invalid YAML: \(error)", file: file)
        }
    }
}
