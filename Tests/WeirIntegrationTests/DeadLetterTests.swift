import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

extension Integration {
    /// Malformed events go to the dead-letter table with reason, source and raw bytes; the
    /// valid ones around them are counted; the stream goes on.
    @Suite("Bad input goes to the dead-letter table")
    struct DeadLetterTests {
        static let badPayloads: [(String, [UInt8])] = [
            ("malformed_json", Array("{\"event\":\"page_view\",\"properties\":{\"user_id\":\"usr_1\",\"timestamp\":".utf8)),
            ("malformed_json", Array("not json".utf8)),
            ("missing_user_id", Array("{\"event\":\"x\",\"properties\":{\"timestamp\":\"2024-01-02T00:00:00Z\"}}".utf8)),
            ("invalid_user_id", Array("{\"event\":\"x\",\"properties\":{\"user_id\":\"\",\"timestamp\":\"2024-01-02T00:00:00Z\"}}".utf8)),
            ("invalid_user_id", Array("{\"properties\":{\"user_id\":\"usr_".utf8) + [0xFF, 0xFE] + Array("\",\"timestamp\":\"2024-01-02T00:00:00Z\"}}".utf8)),
            ("missing_timestamp", Array("{\"event\":\"x\",\"properties\":{\"user_id\":\"usr_2\"}}".utf8)),
            ("invalid_timestamp", Array("{\"event\":\"x\",\"properties\":{\"user_id\":\"usr_3\",\"timestamp\":\"next tuesday\"}}".utf8)),
            ("timestamp_out_of_range", Array("{\"event\":\"x\",\"properties\":{\"user_id\":\"usr_4\",\"timestamp\":\"1970-01-01T00:00:00Z\"}}".utf8)),
            ("timestamp_out_of_range", Array("{\"event\":\"x\",\"properties\":{\"user_id\":\"usr_5\",\"timestamp\":\"2999-01-01T00:00:00Z\"}}".utf8)),
        ]

        @Test("each malformed event is recorded with its reason, partition, offset and bytes; valid events are counted")
        func malformedEventsAreDeadLettered() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 1)
            defer { broker.shutdown() }
            let topic = "events"
            try broker.createTopic(topic, partitions: 1)

            // Valid events with a bad one after every 50th; one partition, so offsets are indices.
            var generator = EventGenerator(configuration: .init(users: 200, days: 2, events: 1_000, seed: 3))
            var records: [(key: [UInt8]?, value: [UInt8])] = []
            var badAt: [Int64: (String, [UInt8])] = [:]
            let oracle = DAUOracle()
            var i = 0
            while let e = generator.next() {
                records.append((e.key, e.payload))
                oracle.add(e.payload)
                i += 1
                if i % 50 == 0 {
                    let bad = Self.badPayloads[(i / 50) % Self.badPayloads.count]
                    badAt[Int64(records.count)] = bad
                    records.append((nil, bad.1))
                }
            }
            try TestServices.produce(broker.bootstrapServers, topic: topic, records, partition: 0)

            let schema = TestServices.uniqueName("dlq")
            let definition = try TestServices.topology(
                bootstrap: broker.bootstrapServers, topic: topic, group: TestServices.uniqueName("g"), url: url, schema: schema)
            let runner = JobRunner(definition)
            #expect(runner.waitForCommitted(Int64(records.count)))
            #expect(runner.stop() == nil)
            #expect(runner.job.progress.deadLetters == Int64(badAt.count))

            let connection = try PostgresConnection(url: url)
            let letters = try connection.execute("""
                SELECT topic, partition, "offset", reason_code, reason, encode(raw, 'hex'), topology
                FROM "\(schema)".weir_dead_letters ORDER BY "offset"
                """)
            #expect(letters.rows.count == badAt.count)
            for row in letters.rows {
                let offset = try #require(row[2].flatMap { Int64($0) })
                let want = try #require(badAt[offset], "no bad record was produced at offset \(offset)")
                #expect(row[0] == topic)
                #expect(row[1] == "0")
                #expect(row[3] == want.0, "reason code at offset \(offset)")
                #expect((row[4] ?? "").isEmpty == false)
                #expect(row[5] == want.1.map { String(format: "%02x", $0) }.joined(), "raw bytes at offset \(offset)")
                #expect(row[6] == "test-product-analytics")
            }

            let rows = try PostgresDailyActiveUsersReader.rows(
                url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
            let expected = oracle.expected
            #expect(rows.count == expected.count)
            for row in rows {
                #expect(row.dau == expected[row.day]?.dau)
                #expect(row.events == expected[row.day]?.events)
            }

            // The CLI prints the same rows as CSV.
            let csv = try CLI.run(["query", "dau", "--postgres", url, "--schema", schema, "--format", "csv"])
            #expect(csv.status == 0)
            let lines = csv.stdout.split(separator: "\n").map(String.init)
            // The events column shows double processing, which a distinct count hides.
            #expect(lines.first == "day,dau,events")
            #expect(lines.dropFirst() == rows.map { "\(CivilDate.isoString(ofDay: $0.day)),\($0.dau),\($0.events)" }[...])
        }
    }
}
