import Testing
import WeirCore
@testable import WeirTopology

/// The shipped product-analytics topology as a typed graph: the active-users pipeline, its element
/// types and its tasks.
struct TopologyGraphTests {
    static func productAnalytics(partitions: Int? = nil) throws -> StreamGraph {
        let definition = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "product-analytics.yaml")
        return try TopologyGraph.graph(for: definition, partitions: partitions, onDeadLetter: { _ in })
    }

    @Test func productAnalyticsIsTheActiveUsersPipeline() throws {
        let graph = try Self.productAnalytics()
        #expect(graph.name == "product-analytics")
        #expect(graph.nodes.map(\.kind) == [.source, .flatMap, .keyBy, .window, .aggregate, .sink])
        #expect(graph.nodes.map(\.name) == ["kafka", "decode", "user", "day", "active_users", "postgres"])
        #expect(graph.nodes.map(\.outputType) == [
            "KafkaMessageView", "ActivityEvent", "ActivityEvent", "ActivityEvent", "Windowed<String, ActiveUsersReport>", nil,
        ])
        #expect(graph.edges.count == 5)
        #expect(graph.node(3)?.keyType == "String")
        #expect(graph.node(4)?.parameter("kind") == "tumbling" && graph.node(4)?.parameter("size") == "1d")
        #expect(graph.node(1)?.parameter("topic") == "events")
        #expect(graph.node(6)?.parameter("table") == "public.active_users")
        #expect(graph.fusedChains == [[2]])
        #expect(graph.node(5)?.parameter("windows_days") == "1,7,30")
    }

    @Test func tasksFollowThePartitionCount() throws {
        #expect(try Self.productAnalytics().tasksDescription()
                == "1 per input partition of events (pass --partitions N for a count)")
        let graph = try Self.productAnalytics(partitions: 12)
        #expect(graph.node(1)?.parameter("partitions") == "12")
        #expect(graph.tasksDescription() == "12 (1 per input partition of events, 12 partitions)")
    }

    @Test func theDescriptionHidesThePassword() throws {
        var definition = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "p.yaml")
        definition.override(bootstrap: nil, postgresURL: "postgresql://u:hunter2@db:5432/prod")
        let text = try TopologyGraph.graph(for: definition, onDeadLetter: { _ in }).description
        #expect(!text.contains("hunter2"))
        #expect(text.contains("n5 -> n6: Windowed<String, ActiveUsersReport>"))
    }
}
