import Foundation
import Testing
import WeirCore
@testable import WeirTopology

/// Loading valid topology files.
struct TopologyLoaderTests {
    @Test func shippedProductAnalyticsFileLoads() throws {
        let t = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "product-analytics.yaml", environment: [:])
        #expect(t.name == "product-analytics")
        #expect(t.file == "product-analytics.yaml")
        #expect(t.source.bootstrapServers == "127.0.0.1:9092")
        #expect(t.source.topic == "events")
        #expect(t.source.group == "weir-product-analytics")
        #expect(t.source.start.rawValue == "earliest")
        #expect(t.source.properties.entries.isEmpty)
        #expect(t.events.userIdField.description == "properties.user_id")
        #expect(t.events.timestampField.description == "properties.timestamp")
        #expect(t.events.minTimestampMillis == 946_684_800_000)
        #expect(t.events.maxFutureMillis == 86_400_000)
        #expect(t.events.maxMessageBytes == 1_048_576)
        #expect(t.events.maxUserIdBytes == 256)
        #expect(t.aggregate.table.name == "active_users")
        let pipeline = try #require(t.activeUsers)
        #expect(pipeline.configuration.windows == [1, 7, 30])
        #expect(pipeline.configuration.allowedLatenessDays == 34)
        #expect(pipeline.configuration.maxRetentionAge == 30)
        #expect(pipeline.requireUserKey)
        #expect(pipeline.stateStore == .postgres)
        #expect(pipeline.maxDeltasPerFull == 200)
        #expect(t.sink.url == "postgresql://postgres@127.0.0.1:5432/weir")
        #expect(t.sink.schema.name == "public")
        #expect(t.sink.deadLetterTable.name == "weir_dead_letters")
        #expect(t.sink.commitIntervalMilliseconds == 1000)
        #expect(t.sink.maxPendingEvents == 500_000)
    }

    @Test func loadReadsTheFileAndItsEnvironment() throws {
        let t = try TopologyLoader.load(
            path: ShippedTopology.path,
            environment: ["WEIR_BOOTSTRAP": "kafka-1:9093,kafka-2:9093", "WEIR_POSTGRES_URL": "postgresql://prod/weir"])
        #expect(t.file == ShippedTopology.path)
        #expect(t.source.bootstrapServers == "kafka-1:9093,kafka-2:9093")
        #expect(t.sink.url == "postgresql://prod/weir")
    }

    @Test func unreadableFile() {
        let missing = ShippedTopology.path + ".missing"
        do {
            _ = try TopologyLoader.load(path: missing, environment: [:])
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.file == missing)
        }
    }

    @Test func optionalFieldsTakeDefaults() throws {
        let t = try TopologyLoader.parse(yaml: minimalTopology, file: "minimal.yaml")
        #expect(t.source.group == "weir-minimal")
        #expect(t.source.start.rawValue == "earliest")
        #expect(t.events == ActivityEventDecoder.Configuration())
        #expect(t.aggregate.table.name == "dau")
        #expect(t.sink.schema.name == "public")
        #expect(t.sink.deadLetterTable.name == "weir_dead_letters")
        #expect(t.sink.commitIntervalMilliseconds == 5000, "the checkpoint interval defaults to 5 s")
        #expect(t.sink.maxPendingEvents == 500_000)
    }

    @Test func explicitValuesAreRead() throws {
        let yaml = minimalTopology
            .replacingOccurrences(of: "    topic: clicks", with: """
                    topic: clicks
                    start: latest
                    group: g1
                    properties: {security.protocol: ssl, "fetch.min.bytes": "1"}
                """)
            .replacingOccurrences(of: "events: {}", with: """
                events:
                  user_id: data.uid
                  timestamp: data.at
                  min_timestamp: 2020-01-01T00:00:00Z
                  max_future_seconds: 60
                  max_message_bytes: 4_096
                """)
            .replacingOccurrences(of: "  kind: daily_active_users", with: "  kind: daily_active_users\n  table: daily_users")
            .replacingOccurrences(of: "    url: postgresql://db/weir", with: "    url: postgresql://db/weir\n    schema: analytics\n    commit_interval_ms: 250")
        let t = try TopologyLoader.parse(yaml: yaml, file: "explicit.yaml")
        #expect(t.source.group == "g1")
        #expect(t.source.start.rawValue == "latest")
        #expect(t.source.properties.entries.map(\.key) == ["security.protocol", "fetch.min.bytes"])
        #expect(t.source.properties["security.protocol"] == "ssl")
        #expect(t.events.userIdField.description == "data.uid")
        #expect(t.events.timestampField.description == "data.at")
        #expect(t.events.minTimestampMillis == 1_577_836_800_000)
        #expect(t.events.maxFutureMillis == 60_000)
        #expect(t.events.maxMessageBytes == 4096)
        #expect(t.aggregate.table.name == "daily_users")
        #expect(t.sink.schema.name == "analytics")
        #expect(t.sink.commitIntervalMilliseconds == 250)
    }
}
