import Testing
import WeirCore

/// Lowering the typed builder to the plain graph, and printing it.
struct StreamGraphTests {
    struct Click: Hashable { var user: String; var page: Int; var ts: Int64 }
    struct Profile: Hashable { var country: String }

    @Test func aPipelineLowersToNodesEdgesAndElementTypes() throws {
        let b = StreamGraphBuilder(name: "clicks")
        let raw = b.source("kafka", of: [UInt8].self, parameters: [.init("topic", "clicks"), .init("partitions", "6")])
        raw.map("decode") { _ in Click(user: "u", page: 1, ts: 0) }
            .filter("real pages") { $0.page > 0 }
            .keyBy("user") { $0.user }
            .window(.tumbling(size: 86_400_000))
            .aggregate("count", into: Int.self, parameters: [.init("fn", "count")])
            .sink("postgres", parameters: [.init("table", "daily")])
        let graph = try b.build()
        #expect(graph.nodes.map(\.kind) == [.source, .map, .filter, .keyBy, .window, .aggregate, .sink])
        #expect(graph.edges.map { "\($0.from)->\($0.to)" } == ["1->2", "2->3", "3->4", "4->5", "5->6", "6->7"])
        #expect(graph.nodes.map(\.outputType) == [
            "Array<UInt8>", "Click", "Click", "Click", "Click", "Windowed<String, Int>", nil,
        ])
        #expect(graph.node(4)?.keyType == "String")
        #expect(graph.node(5)?.parameters.map(\.description) == [
            "kind=tumbling", "size=1d", "allowed_lateness=0ms", "trigger=final_on_watermark",
        ])
        #expect(graph.fusedChains == [[2, 3]])
        #expect(graph.inputPartitions(of: 7) == 6)
        #expect(graph.tasksDescription() == "6 (1 per input partition of clicks, 6 partitions)")
        #expect(graph.tasksDescription(partitions: 1) == "1 (1 per input partition of clicks, 1 partition)")
    }

    @Test func theGraphPrintsStablyAndEqualGraphsPrintAlike() throws {
        func build() throws -> StreamGraph {
            let b = StreamGraphBuilder(name: "joins")
            let clicks = b.source("clicks", of: Click.self).keyBy("user") { $0.user }
            let views = b.source("views", of: Click.self).keyBy("user") { $0.user }
            let profiles = b.source("profiles", of: ChangelogRecord<String, Profile>.self).table("profiles")
            clicks.intervalJoin(views, bounds: try IntervalJoinBounds(before: 1_000, after: 5_000))
                .sink("pairs")
            clicks.join(profiles, mode: .leftOuter).sink("enriched")
            return try b.build()
        }
        let a = try build(), b = try build()
        #expect(a == b && a.description == b.description)
        let text = a.description
        #expect(text.contains("n7 join 'interval_join' in: Click, Click out: IntervalJoinMatch<String, Click, Click> {type=interval, before_ms=1000, after_ms=5000, allowed_lateness_ms=0}"))
        #expect(text.contains("n2 -> n7 (left): Click"))
        #expect(text.contains("n4 -> n7 (right): Click"))
        #expect(text.contains("n6 -> n9 (right): ChangelogRecord<String, Profile>"))
        #expect(text.contains("mode=left_outer"))
        #expect(a.tasksDescription() == "1 per input partition of clicks, views, profiles (pass --partitions N for a count)")
    }
}
