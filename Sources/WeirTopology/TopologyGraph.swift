import Foundation
public import WeirCore
public import WeirKafka
import WeirPostgres

/// A loaded topology expressed with the typed builder, lowered to the plain graph that
/// `weir describe` prints and validates.
///
/// The product-analytics (daily-active-users) pipeline is:
/// source → decode → keyBy(user) → window(1 day, tumbling) → aggregate(exact distinct
/// users + event count) → sink(postgres).
public enum TopologyGraph {
    /// A decoded activity event: the user id and its event time.
    public struct ActivityEvent: Sendable, Hashable {
        /// The user id, as it appears in the payload.
        public var user: String
        /// Event time, ms since the epoch.
        public var timestampMillis: Int64

        /// An event.
        public init(user: String, timestampMillis: Int64) {
            self.user = user
            self.timestampMillis = timestampMillis
        }
    }

    /// The validated graph of `definition`. `partitions`, when given, is recorded on the
    /// source as the input topic's partition count (one task per partition).
    ///
    /// - Parameter onDeadLetter: receives the reason for each payload the decode step refuses.
    public static func graph(
        for definition: TopologyDefinition, partitions: Int? = nil,
        onDeadLetter: @escaping (DeadLetterReason) -> Void
    ) throws(StreamGraphError) -> StreamGraph {
        let builder = StreamGraphBuilder(name: definition.name)
        var sourceParameters: [StreamGraph.Parameter] = [
            .init("topic", definition.source.topic), .init("group", definition.source.group),
            .init("start", definition.source.start.rawValue),
        ]
        if let partitions { sourceParameters.append(.init("partitions", "\(partitions)")) }
        let source = builder.source("kafka", of: KafkaMessageView.self, parameters: sourceParameters)
        let sinkParameters: [StreamGraph.Parameter] = [
            .init("url", PostgresURL.redacted(definition.sink.url)),
            .init("table", "\(definition.sink.schema).\(definition.aggregate.table)"),
            .init("dead_letters", "\(definition.sink.schema).\(definition.sink.deadLetterTable)"),
            .init("commit_interval_ms", "\(definition.sink.commitIntervalMilliseconds)"),
        ]
        if case .dailyActiveUsers = definition.aggregate {
            decode(source, definition.events, onDeadLetter: onDeadLetter)
                .keyBy("user") { $0.user }
                .window(.tumbling(size: 86_400_000), name: "day")
                .aggregate("dau", into: DayTotals.self, parameters: [
                    .init("fn", "exact_distinct(user)+count(events)"), .init("group", "utc_day"),
                    .init("partials", "summed across tasks (each user in one task)"),
                ])
                .sink("postgres", parameters: sinkParameters + [.init("mode", "upsert (day)")])
        } else if case .activeUsers = definition.aggregate, let pipeline = definition.activeUsers {
            let c = pipeline.configuration
            decode(source, definition.events, onDeadLetter: onDeadLetter)
                .keyBy("user") { $0.user }
                .window(
                    .tumbling(
                        size: 86_400_000, allowedLateness: Int64(c.allowedLatenessDays) * 86_400_000,
                        trigger: "every_checkpoint (changed days upserted)"),
                    name: "day")
                .aggregate("active_users", into: ActiveUsersReport.self, parameters: [
                    .init("operator", "ActiveUsers (per-user 64-day bitmap)"),
                    .init("windows_days", c.windows.map(String.init).joined(separator: ",")),
                    .init("allowed_lateness_days", "\(c.allowedLatenessDays)"),
                    .init("retention_days", "\(c.maxRetentionAge)"),
                    .init("key", pipeline.requireUserKey ? "message key must equal user id (else dead letter key_not_user)" : "not checked"),
                    .init("state", "\(pipeline.stateStore); incremental chunks, full when deltas > \(pipeline.fullSnapshotRatio)x"),
                    .init("partials", "one row set per task, summed by views (each user in one task)"),
                ])
                .sink("postgres", parameters: sinkParameters + [.init("mode", "absolute rows per (partition, day) + retention; views sum")])
        } else {
            source.sink("postgres", parameters: sinkParameters + [.init("pipeline", "\(definition.aggregate)")])
        }
        return try builder.build()
    }

    /// The decode step: reads the user id and event time from the JSON payload in place;
    /// refused payloads go to `onDeadLetter`.
    private static func decode(
        _ source: WeirCore.Stream<KafkaMessageView>, _ configuration: ActivityEventDecoder.Configuration,
        onDeadLetter: @escaping (DeadLetterReason) -> Void
    ) -> WeirCore.Stream<ActivityEvent> {
        let box = DecoderBox(ActivityEventDecoder(configuration: configuration))
        let nowMillis = clockMillis
        return source.flatMap("decode") { (message: KafkaMessageView, emit: (ActivityEvent) -> Void) in
            let refused = box.decoder.decode(message.payload, nowMillis: nowMillis()) { user, ts in
                emit(ActivityEvent(user: String(decoding: user, as: UTF8.self), timestampMillis: ts))
            }
            if let refused { onDeadLetter(refused) }
        }
    }

    /// The processing clock, ms since the epoch.
    private static func clockMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Holds the decode step's decoder, which reuses its buffers across records. One chain
/// belongs to one task, so it is used from one thread.
private final class DecoderBox {
    var decoder: ActivityEventDecoder

    init(_ decoder: ActivityEventDecoder) { self.decoder = decoder }
}
