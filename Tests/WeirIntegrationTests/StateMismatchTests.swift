import Foundation
import Logging
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

extension Integration {
    /// A topology changed so that its stored state no longer fits is refused at start, naming
    /// the operator; `--reset-state` deletes that state and rebuilds it from the topic.
    @Suite("Changed topologies: refused, or reset explicitly")
    struct StateMismatchTests {
        @Test("a changed user_id field is refused; a reset recounts from the topic")
        func changedKeyFieldIsRefusedThenReset() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 1)
            defer { broker.shutdown() }
            try broker.createTopic("events", partitions: 2)
            var generator = EventGenerator(configuration: .init(users: 200, days: 2, events: 3000, seed: 3))
            var records: [(key: [UInt8]?, value: [UInt8])] = []
            let oracle = DAUOracle()
            while let event = generator.next() {
                records.append((event.key, event.payload))
                oracle.add(event.payload)
            }
            try TestServices.produce(broker.bootstrapServers, topic: "events", records)
            let schema = TestServices.uniqueName("state")
            let group = TestServices.uniqueName("g")
            let original = try TestServices.topology(bootstrap: broker.bootstrapServers, topic: "events", group: group, url: url, schema: schema)
            let first = JobRunner(original)
            #expect(first.waitForCommitted(Int64(records.count)))
            #expect(first.stop() == nil)

            // The same group and table, but the user is now read from another field.
            var changed = original
            changed.events.userIdField = try #require(JSONFieldPath("properties.anonymous_id"))
            let refused = DailyActiveUsersJob(definition: changed, logger: Logger(label: "test"))
            do {
                try refused.run()
                Issue.record("a topology whose state does not fit must be refused")
            } catch {
                #expect(error.code == .stateMismatch)
                #expect(error.description.contains("daily_active_users:dau"), "the error names the operator: \(error)")
                #expect(error.description.contains("--reset-state"), "the error says how to reset: \(error)")
            }

            // The original definition still runs against its state.
            let again = JobRunner(original)
            Thread.sleep(forTimeInterval: 1)
            #expect(again.stop() == nil)

            // An explicit reset with the original definition recounts everything exactly once.
            let connection = try PostgresConnection(url: url)
            let reset = JobRunner(job: DailyActiveUsersJob(definition: original, logger: Logger(label: "test"), resetState: true))
            #expect(reset.waitForCommitted(Int64(records.count)))
            #expect(reset.stop() == nil)
            let rows = try PostgresDailyActiveUsersReader.rows(url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
            for row in rows {
                #expect(row.dau == oracle.expected[row.day]?.dau)
                #expect(row.events == oracle.expected[row.day]?.events, "events after the reset are counted once")
            }
            let operators = try connection.execute("SELECT count(*) FROM \"\(schema)\".weir_operators").rows.first?.first ?? nil
            #expect(operators == "1")
        }
    }
}
