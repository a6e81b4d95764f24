extension StreamGraph: CustomStringConvertible {
    /// A stable, line-oriented rendering: nodes, edges with their element types, and the
    /// fused chains. Two graphs print the same text exactly when they are equal, so the
    /// text can be diffed.
    public var description: String {
        var lines = ["graph \(name)", "nodes:"]
        for node in nodes {
            var line = "  n\(node.id) \(node.kind.rawValue) '\(node.name)'"
            if !node.inputTypes.isEmpty { line += " in: " + node.inputTypes.joined(separator: ", ") }
            if let output = node.outputType { line += " out: \(output)" }
            if let key = node.keyType { line += " key: \(key)" }
            if !node.parameters.isEmpty { line += " {" + node.parameters.map(\.description).joined(separator: ", ") + "}" }
            lines.append(line)
        }
        lines.append("edges:")
        for edge in edges {
            let type = node(edge.from)?.outputType ?? "?"
            let port = node(edge.to)?.kind == .join ? (edge.port == 0 ? " (left)" : " (right)") : ""
            lines.append("  n\(edge.from) -> n\(edge.to)\(port): \(type)")
        }
        let chains = fusedChains
        if !chains.isEmpty {
            lines.append("fused chains:")
            for chain in chains {
                let names = chain.map { id in node(id).map { "\($0.kind.rawValue) '\($0.name)'" } ?? "?" }
                lines.append("  n\(chain.map(String.init).joined(separator: "+n")): " + names.joined(separator: " -> ")
                    + " (one closure per batch)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The stateless nodes grouped by the chain they are fused into, each group in order.
    public var fusedChains: [[NodeID]] {
        var groups: [NodeID: [NodeID]] = [:]
        var heads: [NodeID] = []
        for node in nodes where node.kind.isStateless {
            let head = node.chainHead ?? node.id
            if groups[head] == nil { heads.append(head) }
            groups[head, default: []].append(node.id)
        }
        return heads.map { groups[$0]! }
    }

    /// How a running topology splits into tasks: one per input partition (for a join, per
    /// set of co-partitioned partitions), as text for people. `partitions` overrides the
    /// count declared by the sources.
    public func tasksDescription(partitions: Int? = nil) -> String {
        let topics = sources.map { $0.parameter("topic") ?? $0.name }.joined(separator: ", ")
        let declared = sources.compactMap { inputPartitions(of: $0.id) }.first
        guard let count = partitions ?? declared else {
            return "1 per input partition of \(topics) (pass --partitions N for a count)"
        }
        return "\(count) (1 per input partition of \(topics), \(count) partition\(count == 1 ? "" : "s"))"
    }
}
