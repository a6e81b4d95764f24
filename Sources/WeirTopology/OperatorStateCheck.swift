import Logging
import WeirPostgres

/// Refuses to run a topology against state built by a different definition of the same
/// operator (see ``PostgresOperatorRegistry``), or deletes that state first when asked to.
enum OperatorStateCheck {
    static func verify(
        _ definition: TopologyDefinition, operator name: String, fingerprint: String, tables: [String],
        reset: Bool, logger: Logger, resetStatements: [PostgresStatement] = []
    ) throws(TopologyError) {
        do {
            let registry = try PostgresOperatorRegistry(
                url: definition.sink.url, schema: definition.sink.schema, consumerGroup: definition.source.group)
            if reset {
                try registry.reset(
                    operator: name, fingerprint: fingerprint, tables: tables, topic: definition.source.topic, statements: resetStatements)
                logger.warning("--reset-state: deleted the results, offsets and fingerprint of operator '\(name)' (group \(definition.source.group)); reading \(definition.source.topic) from the start position")
            } else {
                try registry.check(operator: name, fingerprint: fingerprint)
            }
        } catch {
            throw TopologyError(
                error.code == .stateMismatch ? .stateMismatch : .sink, "\(error)", file: definition.file, field: "aggregate")
        }
    }

    /// What the daily-active-users state depends on.
    static func fingerprint(dailyActiveUsers definition: TopologyDefinition) -> String {
        "daily_active_users v1 user_id=\(definition.events.userIdField) timestamp=\(definition.events.timestampField)"
    }

    /// What the active-users state and rows depend on: the fields, the operator's windows,
    /// lateness and retention, and where its state is kept (the state format is versioned
    /// separately). Switching stores would leave the new one empty and the old one stale.
    static func fingerprint(activeUsers definition: TopologyDefinition, pipeline: TopologyDefinition.ActiveUsersPipeline) -> String {
        let c = pipeline.configuration
        return "active_users v1 user_id=\(definition.events.userIdField) timestamp=\(definition.events.timestampField)"
            + " windows=\(c.windows.map(String.init).joined(separator: ",")) lateness=\(c.allowedLatenessDays) retention=\(c.maxRetentionAge)"
            + " store=\(pipeline.stateStore == .postgres ? "postgres" : "local")"
    }

    /// What the stored vectors depend on: the embedder and its dimension.
    static func fingerprint(documents pipeline: TopologyDefinition.DocumentPipeline) -> String {
        switch pipeline.embedder {
        case .hashing(let dimension): return "document_embeddings v1 embedder=hashing dimension=\(dimension)"
        case .openAI(let c): return "document_embeddings v1 embedder=openai model=\(c.model) dimension=\(c.dimension)"
        }
    }
}
