import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

extension Integration {
    /// The walking skeleton end to end: generated events with duplicates and disorder go
    /// through the embedded broker and `DailyActiveUsersJob` into the real PostgreSQL, and
    /// the rows must equal an independent exact count.
    @Suite("End to end: Kafka to exact DAU in PostgreSQL")
    struct EndToEndDAUTests {
        @Test("generated events with duplicates and disorder give exactly the oracle's DAU")
        func generatedEventsMatchOracle() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 3)
            defer { broker.shutdown() }
            let topic = "events"
            try broker.createTopic(topic, partitions: 6)

            var generator = EventGenerator(configuration: .init(
                users: 3000, days: 5, events: 60_000, seed: 7, disorderSeconds: 3 * 3600, duplicateProbability: 0.01))
            var records: [(key: [UInt8]?, value: [UInt8])] = []
            let oracle = DAUOracle()
            var previous: [UInt8] = []
            var duplicates = 0
            while let event = generator.next() {
                if event.payload == previous { duplicates += 1 }
                previous = event.payload
                records.append((event.key, event.payload))
                oracle.add(event.payload)
            }
            #expect(duplicates > 100, "the stream must contain exact duplicates")
            #expect(oracle.rejected == 0)
            try TestServices.produce(broker.bootstrapServers, topic: topic, records)

            let schema = TestServices.uniqueName("e2e")
            let definition = try TestServices.topology(
                bootstrap: broker.bootstrapServers, topic: topic, group: TestServices.uniqueName("g"), url: url, schema: schema)
            let runner = JobRunner(definition)
            let caughtUp = runner.waitForCommitted(Int64(records.count))
            let error = runner.stop()
            #expect(error == nil)
            #expect(caughtUp, "the job did not commit all \(records.count) records: \(runner.job.progress)")

            let rows = try PostgresDailyActiveUsersReader.rows(
                url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
            let expected = oracle.expected
            #expect(rows.count == expected.count)
            for row in rows {
                let want = try #require(expected[row.day], "unexpected day \(CivilDate.isoString(ofDay: row.day))")
                #expect(row.dau == want.dau, "DAU of \(CivilDate.isoString(ofDay: row.day))")
                #expect(row.events == want.events, "events of \(CivilDate.isoString(ofDay: row.day))")
            }
            #expect(rows.reduce(0) { $0 + $1.events } == Int64(records.count))

            // Offsets stored with the rows cover every record exactly.
            let connection = try PostgresConnection(url: url)
            let stored = try connection.execute("SELECT sum(next_offset)::bigint FROM \"\(schema)\".weir_offsets")
            #expect(stored.rows.first?.first ?? nil == String(records.count))
            let letters = try connection.execute("SELECT count(*) FROM \"\(schema)\".weir_dead_letters")
            #expect(letters.rows.first?.first ?? nil == "0")
            // One checkpoint record per commit, with the offsets it moved to.
            let checkpoints = try connection.execute(
                "SELECT count(*), count(*) FILTER (WHERE offsets = '{}'::jsonb) FROM \"\(schema)\".weir_checkpoints")
            #expect(Int(checkpoints.rows.first?[0] ?? "") == runner.job.progress.commits)
            #expect(checkpoints.rows.first?[1] == "0")
        }

        @Test("a restarted job resumes from the offsets stored with the rows: nothing lost, nothing twice")
        func restartResumesFromStoredOffsets() throws {
            let url = try TestServices.postgresURL()
            let broker = try EmbeddedKafkaBroker(brokers: 1)
            defer { broker.shutdown() }
            let topic = "events"
            try broker.createTopic(topic, partitions: 4)
            var generator = EventGenerator(configuration: .init(users: 500, days: 3, events: 20_000, seed: 11, duplicateProbability: 0.01))
            var all: [(key: [UInt8]?, value: [UInt8])] = []
            while let e = generator.next() { all.append((e.key, e.payload)) }
            let oracle = DAUOracle()
            for r in all { oracle.add(r.value) }

            let schema = TestServices.uniqueName("restart")
            let group = TestServices.uniqueName("g")
            let definition = try TestServices.topology(
                bootstrap: broker.bootstrapServers, topic: topic, group: group, url: url, schema: schema)

            try TestServices.produce(broker.bootstrapServers, topic: topic, Array(all[..<12_000]))
            let first = JobRunner(definition)
            #expect(first.waitForCommitted(12_000))
            #expect(first.stop() == nil)

            try TestServices.produce(broker.bootstrapServers, topic: topic, Array(all[12_000...]))
            let second = JobRunner(definition)
            #expect(second.waitForCommitted(8_000))
            #expect(second.stop() == nil)
            #expect(second.job.progress.recordsIn == 8_000, "the second run must read only the new records")

            let rows = try PostgresDailyActiveUsersReader.rows(
                url: url, schema: SQLIdentifier(schema), table: SQLIdentifier("dau"), from: nil, to: nil)
            let expected = oracle.expected
            #expect(rows.count == expected.count)
            for row in rows {
                #expect(row.dau == expected[row.day]?.dau)
                #expect(row.events == expected[row.day]?.events)
            }
        }
    }
}
