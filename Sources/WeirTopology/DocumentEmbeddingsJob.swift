import Foundation
public import Logging
import Synchronization
import WeirCore
import WeirKafka
import WeirPostgres
public import WeirVector

/// Runs a `document_embeddings` topology: consumes documents, embeds those without a vector,
/// and keeps both a pgvector table and the in-process HNSW index (one shard per partition) in
/// step with the topic, tombstones included.
///
/// Exactly-once into the table: rows, dead letters and offsets commit in one transaction.
/// The index follows the same records; after each commit that is due for one, each shard is
/// snapshotted to the local snapshot directory with the offset it covers. On assignment a
/// shard is loaded from its snapshot (falling back to the previous one when the current one is
/// corrupt) and caught up from the snapshot's offset to the committed offset by reading the
/// final state of the replayed keys from the table — no re-embedding and no rebuild.
/// ``run()`` blocks its thread.
public final class DocumentEmbeddingsJob: Sendable {
    public let definition: TopologyDefinition
    /// The documents this process owns, searchable while the job runs.
    public let index: DocumentIndex
    /// The embedder of documents and of text queries.
    public let embedder: any Embedder
    let pipeline: TopologyDefinition.DocumentPipeline
    let logger: Logger
    /// Whether ``run()`` deletes the stored documents and offsets first (`weir run --reset-state`).
    public let resetState: Bool
    private let stopFlag = Atomic<Bool>(false)
    private let progressState = Mutex(JobProgress())

    /// Builds the embedder and the empty index; throws for an invalid embedder or index setting.
    public init(
        definition: TopologyDefinition, logger: Logger, resetState: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(TopologyError) {
        self.resetState = resetState
        guard let pipeline = definition.documents else {
            throw TopologyError(.invalidValue, "not a document_embeddings topology", file: definition.file, field: "aggregate.kind")
        }
        self.definition = definition
        self.pipeline = pipeline
        self.logger = logger
        do {
            embedder = try Self.makeEmbedder(pipeline.embedder, environment: environment, logger: logger)
            index = try DocumentIndex(configuration: pipeline.index)
        } catch {
            throw TopologyError(.invalidValue, "\(error)", file: definition.file, field: "embedder")
        }
    }

    /// The embedder a topology asks for.
    public static func makeEmbedder(
        _ choice: TopologyDefinition.EmbedderChoice, environment: [String: String], logger: Logger
    ) throws(VectorError) -> any Embedder {
        switch choice {
        case .hashing(let dimension): return try HashingEmbedder(dimension: dimension)
        case .openAI(let configuration): return try OpenAIEmbedder(configuration: configuration, environment: environment, logger: logger)
        }
    }

    /// The latest counters.
    public var progress: JobProgress { progressState.withLock { $0 } }

    /// Asks ``run()`` to stop consuming, commit what it holds and return.
    public func requestStop() { stopFlag.store(true, ordering: .relaxed) }

    var stopRequested: Bool { stopFlag.load(ordering: .relaxed) }

    func updateProgress(_ body: (inout JobProgress) -> Void) { progressState.withLock { body(&$0) } }

    /// Consumes until ``requestStop()``; then commits, snapshots and leaves the group.
    public func run() throws(TopologyError) {
        logger.info("starting \(definition.summary); embedder \(embedder.summary)")
        let sink: PostgresDocumentSink
        do {
            sink = try PostgresDocumentSink(configuration: definition.sinkConfiguration, dimension: embedder.dimension)
        } catch {
            throw TopologyError(.sink, "\(error)", file: definition.file, field: "sink.postgres")
        }
        try OperatorStateCheck.verify(
            definition, operator: "document_embeddings:\(definition.aggregate.table.name)",
            fingerprint: OperatorStateCheck.fingerprint(documents: pipeline), tables: sink.stateTables,
            reset: resetState, logger: logger)
        let task = DocumentEmbeddingsTask(job: self, sink: sink)
        let consumer = try definition.makeConsumer { [task] event in task.rebalance(event) }
        task.consumer = consumer
        defer { task.consumer = nil }

        var failure: TopologyError?
        var lastLag = ContinuousClock.now
        while !stopRequested && failure == nil && !task.abandoned {
            do {
                try task.pollOnce()
                if task.commitDue { try task.commit() }
            } catch {
                failure = error
            }
            if ContinuousClock.now - lastLag >= .seconds(1) {
                task.refreshLag()
                lastLag = .now
            }
        }
        if failure == nil {
            do {
                try task.commit()
                task.snapshotAll(reason: "shutdown")
            } catch {
                failure = error
            }
        }
        task.frozen = failure != nil
        consumer.close()
        let shutdownError = failure ?? task.failure
        let p = progress
        logger.info("stopped \(definition.name): \(p.recordsIn) records read, \(p.recordsCommitted) committed, \(p.deadLetters) dead letters, \(index.count) documents indexed")
        if let shutdownError { throw shutdownError }
    }
}
