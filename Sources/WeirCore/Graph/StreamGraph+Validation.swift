extension StreamGraph {
    /// Checks the graph: a source, known and unique nodes, the right inputs per kind,
    /// matching element types, no cycle, every output consumed, keyed inputs for windows
    /// and joins, co-partitioned join inputs, and aggregates after windows.
    /// Throws the first problem found, in that order.
    ///
    /// - Complexity: O(n · e).
    public func validate() throws(StreamGraphError) {
        guard !sources.isEmpty else { throw StreamGraphError(.noSource, "the graph has no source") }
        var byID: [NodeID: Node] = [:]
        for node in nodes {
            guard byID.updateValue(node, forKey: node.id) == nil else {
                throw StreamGraphError(.duplicateNode, node: node.id, "two nodes have id \(node.id)")
            }
        }
        for edge in edges {
            for id in [edge.from, edge.to] where byID[id] == nil {
                throw StreamGraphError(.unknownNode, node: id, "edge n\(edge.from) -> n\(edge.to) names an unknown node")
            }
        }
        for node in nodes {
            let ports = inputs(of: node.id).map(\.port)
            guard ports == Array(0..<node.kind.inputCount) else {
                throw StreamGraphError(.wrongInputCount, node: node.id,
                    "a \(node.kind.rawValue) takes \(node.kind.inputCount) input(s), has ports \(ports)")
            }
            if node.kind == .sink, !outputs(of: node.id).isEmpty {
                throw StreamGraphError(.wrongInputCount, node: node.id, "a sink has no output")
            }
        }
        for edge in edges {
            let from = byID[edge.from]!, to = byID[edge.to]!
            let expected = edge.port < to.inputTypes.count ? to.inputTypes[edge.port] : nil
            guard let produced = from.outputType, produced == expected else {
                throw StreamGraphError(.typeMismatch, node: to.id,
                    "port \(edge.port) takes \(expected ?? "nothing") but n\(from.id) produces \(from.outputType ?? "nothing")")
            }
        }
        try checkAcyclic()
        for node in nodes where node.kind != .sink && outputs(of: node.id).isEmpty {
            throw StreamGraphError(.danglingOutput, node: node.id, "the output of \(node.kind.rawValue) '\(node.name)' goes nowhere")
        }
        for node in nodes {
            let upstream = inputs(of: node.id).map { byID[$0.from]! }
            switch node.kind {
            case .window:
                if upstream[0].keyType == nil {
                    throw StreamGraphError(.notKeyed, node: node.id, "a \(node.kind.rawValue) needs a keyed input (keyBy first)")
                }
            case .aggregate:
                if upstream[0].kind != .window {
                    throw StreamGraphError(.aggregateWithoutWindow, node: node.id, "an aggregate must follow a window")
                }
            case .table:
                if node.keyType == nil {
                    throw StreamGraphError(.notKeyed, node: node.id, "a table needs a key type")
                }
            case .join:
                try checkCoPartitioned(join: node, left: upstream[0], right: upstream[1])
            default:
                break
            }
        }
    }

    /// The partition count of the topic feeding `id`, when every source upstream declares
    /// the same one; `nil` when unknown.
    public func inputPartitions(of id: NodeID) -> Int? {
        var seen: Set<NodeID> = []
        var pending = [id]
        var counts: Set<Int> = []
        var unknown = false
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let node = node(next) else { continue }
            if node.kind == .source {
                if let text = node.parameter("partitions"), let count = Int(text) { counts.insert(count) } else { unknown = true }
            }
            pending += inputs(of: next).map(\.from)
        }
        return !unknown && counts.count == 1 ? counts.first : nil
    }

    private func checkCoPartitioned(join: Node, left: Node, right: Node) throws(StreamGraphError) {
        guard let leftKey = left.keyType, let rightKey = right.keyType else {
            let side = left.keyType == nil ? "left" : "right"
            throw StreamGraphError(.notKeyed, node: join.id, "the \(side) input of a join is not keyed (keyBy first)")
        }
        guard leftKey == rightKey else {
            throw StreamGraphError(.joinNotCoPartitioned, node: join.id, "inputs are keyed by \(leftKey) and \(rightKey)")
        }
        let counts = (inputPartitions(of: left.id), inputPartitions(of: right.id))
        if let l = counts.0, let r = counts.1, l != r {
            throw StreamGraphError(.joinNotCoPartitioned, node: join.id, "inputs read \(l) and \(r) partitions")
        }
    }

    private func checkAcyclic() throws(StreamGraphError) {
        var indegree: [NodeID: Int] = [:]
        for node in nodes { indegree[node.id] = 0 }
        for edge in edges { indegree[edge.to, default: 0] += 1 }
        var ready = nodes.map(\.id).filter { indegree[$0] == 0 }
        var visited = 0
        while let id = ready.popLast() {
            visited += 1
            for edge in outputs(of: id) {
                indegree[edge.to]! -= 1
                if indegree[edge.to] == 0 { ready.append(edge.to) }
            }
        }
        if visited < nodes.count {
            let stuck = nodes.first { indegree[$0.id]! > 0 }!.id
            throw StreamGraphError(.cycle, node: stuck, "the edges form a cycle through n\(stuck)")
        }
    }
}
