import Testing
@testable import WeirTopology

/// Command-line overrides of a loaded topology.
struct TopologyDefinitionTests {
    @Test func overrideReplacesOnlyWhatIsGiven() throws {
        var t = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "p.yaml")
        t.override(bootstrap: "kafka:29092", postgresURL: "postgresql://u:secret@db:5432/prod")
        #expect(t.source.bootstrapServers == "kafka:29092")
        #expect(t.sink.url == "postgresql://u:secret@db:5432/prod")
        #expect(t.source.topic == "events")
        #expect(t.source.group == "weir-product-analytics")

        t.override(bootstrap: nil, postgresURL: nil, topic: "events-v2", group: "g2")
        #expect(t.source.bootstrapServers == "kafka:29092")
        #expect(t.sink.url == "postgresql://u:secret@db:5432/prod")
        #expect(t.source.topic == "events-v2")
        #expect(t.source.group == "g2")
    }

    @Test func summaryNamesTheTopologyWithoutThePassword() throws {
        var t = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "p.yaml")
        t.override(bootstrap: nil, postgresURL: "postgresql://u:hunter2@db:5432/prod")
        #expect(t.summary.contains("topology product-analytics"))
        #expect(t.summary.contains("public.active_users"))
        #expect(!t.summary.contains("hunter2"))
    }
}
