import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirTopology

extension Integration {
    /// Records the broker deleted before the topology read them are reported, not silently skipped.
    @Suite("Retention gaps are reported")
    struct RetentionGapTests {
        @Test("records deleted by retention before a restart are counted as lost", arguments: ["daily_active_users", "active_users"])
        func retentionGapIsReported(kind: String) throws {
            let scenario = try StreamScenario(events: 1_000, partitions: 1, brokers: 1, seed: 401, kind: kind)
            try TestServices.produce(scenario.broker.bootstrapServers, topic: scenario.topic, scenario.records)
            let first = JobRunner(try scenario.definition())
            #expect(first.waitForCommitted(1_000))
            #expect(first.stop() == nil)

            // Uncompressed, 8 MB passes the mock's 5 MB per-partition retention: the oldest
            // records, including those after the stored offset, are deleted.
            let producer = try KafkaProducer(
                bootstrapServers: scenario.broker.bootstrapServers,
                properties: KafkaProperties([("compression.type", "none")]))
            let big = Array(#"{"event":"x","properties":{"user_id":"usr_1","timestamp":"2024-01-02T00:00:00Z","pad":""#.utf8)
                + Array(repeating: UInt8(ascii: "p"), count: 800) + Array(#""}}"#.utf8)
            for _ in 0..<10_000 { try producer.send(topic: scenario.topic, partition: 0, key: nil, value: big) }
            try producer.flush()
            producer.close()

            let second = JobRunner(try scenario.definition())
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && second.job.progress.recordsLostBeforeRead == 0 { Thread.sleep(forTimeInterval: 0.1) }
            #expect(second.stop() == nil)
            let lost = second.job.progress.recordsLostBeforeRead
            #expect(lost > 0, "the gap must be reported")
            #expect(lost + second.job.progress.recordsIn <= 10_000, "lost plus read never exceeds what was produced after the stored offset")
        }
    }
}
