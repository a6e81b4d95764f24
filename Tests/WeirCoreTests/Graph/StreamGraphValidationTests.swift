import Testing
import WeirCore

/// Graph validation: every rule has a stable code and names the node.
struct StreamGraphValidationTests {
    typealias Node = StreamGraph.Node

    static func code(_ graph: StreamGraph) -> StreamGraphError? {
        do {
            try graph.validate()
            return nil
        } catch {
            return error
        }
    }

    static func source(_ id: Int, _ type: String = "Int", partitions: Int? = nil) -> Node {
        Node(id: id, kind: .source, name: "s\(id)", inputTypes: [], outputType: type,
             parameters: partitions.map { [.init("topic", "t\(id)"), .init("partitions", "\($0)")] } ?? [])
    }

    static func sink(_ id: Int, _ type: String = "Int") -> Node {
        Node(id: id, kind: .sink, name: "out", inputTypes: [type], outputType: nil)
    }

    @Test func aJoinOfUnkeyedInputsIsRefused() {
        let graph = StreamGraph(name: "g", nodes: [
            Self.source(1), Self.source(2),
            Node(id: 3, kind: .join, name: "j", inputTypes: ["Int", "Int"], outputType: "Int"),
            Self.sink(4),
        ], edges: [.init(from: 1, to: 3, port: 0), .init(from: 2, to: 3, port: 1), .init(from: 3, to: 4)])
        let error = Self.code(graph)
        #expect(error?.code == .notKeyed && error?.node == 3)
        #expect(error?.description == "graph.not_keyed: node n3: the left input of a join is not keyed (keyBy first)")
    }

    @Test func aJoinOfDifferentlyPartitionedTopicsIsRefused() throws {
        let b = StreamGraphBuilder(name: "g")
        let left = b.source("a", of: Int.self, parameters: [.init("topic", "a"), .init("partitions", "8")]).keyBy("id") { $0 }
        let right = b.source("b", of: Int.self, parameters: [.init("topic", "b"), .init("partitions", "4")]).keyBy("id") { $0 }
        left.intervalJoin(right, bounds: try IntervalJoinBounds(before: 0, after: 0)).sink("out")
        #expect(throws: StreamGraphError(.joinNotCoPartitioned, node: 5, "inputs read 8 and 4 partitions")) { try b.build() }
    }

    @Test func aJoinOfDifferentKeyTypesIsRefused() {
        let graph = StreamGraph(name: "g", nodes: [
            Self.source(1), Self.source(2),
            Node(id: 3, kind: .keyBy, name: "k", inputTypes: ["Int"], outputType: "Int", keyType: "Int"),
            Node(id: 4, kind: .keyBy, name: "k", inputTypes: ["Int"], outputType: "Int", keyType: "String"),
            Node(id: 5, kind: .join, name: "j", inputTypes: ["Int", "Int"], outputType: "Int"),
            Self.sink(6),
        ], edges: [.init(from: 1, to: 3), .init(from: 2, to: 4), .init(from: 3, to: 5, port: 0),
                   .init(from: 4, to: 5, port: 1), .init(from: 5, to: 6)])
        #expect(Self.code(graph)?.code == .joinNotCoPartitioned)
    }

    @Test func structuralProblemsHaveTheirOwnCodes() {
        #expect(Self.code(StreamGraph(name: "g"))?.code == .noSource)
        #expect(Self.code(StreamGraph(name: "g", nodes: [Self.source(1), Self.sink(1)]))?.code == .duplicateNode)
        #expect(Self.code(StreamGraph(name: "g", nodes: [Self.source(1)], edges: [.init(from: 1, to: 9)]))?.code == .unknownNode)
        #expect(Self.code(StreamGraph(name: "g", nodes: [Self.source(1), Self.sink(2)]))?.code == .wrongInputCount)
        #expect(Self.code(StreamGraph(name: "g", nodes: [Self.source(1, "String"), Self.sink(2)], edges: [.init(from: 1, to: 2)]))?.code == .typeMismatch)
        #expect(Self.code(StreamGraph(name: "g", nodes: [Self.source(1), Self.sink(2)], edges: [.init(from: 1, to: 2)])) == nil)
        // A dangling map.
        let dangling = StreamGraph(name: "g", nodes: [
            Self.source(1), Node(id: 2, kind: .map, name: "m", inputTypes: ["Int"], outputType: "Int"),
        ], edges: [.init(from: 1, to: 2)])
        #expect(Self.code(dangling)?.code == .danglingOutput)
        // A cycle: 2 -> 3 -> 2 behind a filter that has two inputs is caught by input
        // counts first; a pure cycle of one-input nodes is caught as a cycle.
        let cycle = StreamGraph(name: "g", nodes: [
            Self.source(1), Self.sink(4),
            Node(id: 2, kind: .map, name: "m", inputTypes: ["Int"], outputType: "Int"),
            Node(id: 3, kind: .map, name: "m", inputTypes: ["Int"], outputType: "Int"),
        ], edges: [.init(from: 1, to: 4), .init(from: 2, to: 3), .init(from: 3, to: 2)])
        #expect(Self.code(cycle)?.code == .cycle)
    }

    @Test func windowsNeedKeysAndAggregatesNeedWindows() {
        let window = StreamGraph(name: "g", nodes: [
            Self.source(1),
            Node(id: 2, kind: .window, name: "w", inputTypes: ["Int"], outputType: "Int"),
            Node(id: 3, kind: .aggregate, name: "a", inputTypes: ["Int"], outputType: "Int"),
            Self.sink(4),
        ], edges: [.init(from: 1, to: 2), .init(from: 2, to: 3), .init(from: 3, to: 4)])
        #expect(Self.code(window)?.code == .notKeyed)
        let aggregate = StreamGraph(name: "g", nodes: [
            Self.source(1),
            Node(id: 3, kind: .aggregate, name: "a", inputTypes: ["Int"], outputType: "Int"),
            Self.sink(4),
        ], edges: [.init(from: 1, to: 3), .init(from: 3, to: 4)])
        #expect(Self.code(aggregate)?.code == .aggregateWithoutWindow)
    }
}
