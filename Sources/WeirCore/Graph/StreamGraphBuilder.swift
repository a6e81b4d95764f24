/// Builds a typed topology and lowers it to a ``StreamGraph``.
///
/// Start with ``source(_:of:parameters:)``, chain operators on the returned ``Stream``,
/// then call ``build()``. The builder is used on one thread while a topology is set up;
/// it is not shared.
public final class StreamGraphBuilder {
    /// The graph built so far (not yet validated).
    public private(set) var graph: StreamGraph

    /// A builder for the topology `name`.
    public init(name: String) {
        graph = StreamGraph(name: name)
    }

    /// A source producing `Element`s, e.g. a Kafka topic. Give `topic` and `partitions`
    /// parameters where known: they name the input and size the tasks.
    public func source<Element>(
        _ name: String, of type: Element.Type = Element.self, parameters: [StreamGraph.Parameter] = []
    ) -> Stream<Element> {
        let id = addNode(kind: .source, name: name, inputs: [], outputType: StreamGraph.typeName(Element.self), parameters: parameters)
        return Stream(builder: self, node: id, chain: nil)
    }

    /// The validated graph.
    public func build() throws(StreamGraphError) -> StreamGraph {
        try graph.validate()
        return graph
    }

    /// Adds a node fed by `inputs` (node, port 0, 1, ...) and returns its id.
    @discardableResult
    internal func addNode(
        kind: StreamGraph.NodeKind, name: String, inputs: [(node: StreamGraph.NodeID, type: String)],
        outputType: String?, keyType: String? = nil, parameters: [StreamGraph.Parameter] = [],
        chainHead: StreamGraph.NodeID? = nil
    ) -> StreamGraph.NodeID {
        let id = (graph.nodes.last?.id ?? 0) + 1
        graph.nodes.append(StreamGraph.Node(
            id: id, kind: kind, name: name, inputTypes: inputs.map(\.type),
            outputType: outputType, keyType: keyType,
            parameters: parameters, chainHead: chainHead))
        for (port, input) in inputs.enumerated() {
            graph.edges.append(StreamGraph.Edge(from: input.node, to: id, port: port))
        }
        return id
    }
}

extension StreamGraph {
    /// The name a graph uses for an element type: `String(describing:)`.
    public static func typeName<T>(_ type: T.Type) -> String { String(describing: type) }
}
