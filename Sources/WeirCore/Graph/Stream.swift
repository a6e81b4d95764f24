/// A typed stream of `Element`s in a topology being built. It exists only in the API: each
/// operator adds a node to the builder's plain ``StreamGraph``.
///
/// Consecutive stateless steps (``map(_:_:)``, ``filter(_:_:)``, ``flatMap(_:_:)``) are
/// fused: ``fusedChain(from:)`` returns them as one closure over a batch.
public struct Stream<Element> {
    /// The builder this stream belongs to.
    public let builder: StreamGraphBuilder
    /// The node producing this stream.
    public let node: StreamGraph.NodeID
    /// The fused stateless steps ending at `node`, if `node` is stateless.
    internal let chain: (any ErasedChain<Element>)?

    internal init(builder: StreamGraphBuilder, node: StreamGraph.NodeID, chain: (any ErasedChain<Element>)?) {
        self.builder = builder
        self.node = node
        self.chain = chain
    }

    /// The node the fused chain ending here starts after (this node, if it is not stateless).
    internal var chainHead: StreamGraph.NodeID {
        builder.graph.node(node)?.chainHead ?? node
    }

    private var elementType: String { StreamGraph.typeName(Element.self) }

    private func stateless<Next>(
        _ kind: StreamGraph.NodeKind, _ name: String, _ next: any ErasedChain<Next>
    ) -> Stream<Next> {
        let id = builder.addNode(kind: kind, name: name, inputs: [(node, elementType)], outputType: StreamGraph.typeName(Next.self), chainHead: chainHead)
        return Stream<Next>(builder: builder, node: id, chain: next)
    }

    /// One output per record.
    public func map<Next>(_ name: String = "map", _ transform: @escaping (Element) -> Next) -> Stream<Next> {
        stateless(.map, name, (chain ?? FusedChain<Element, Element>.identity).erasedMap(name, transform))
    }

    /// The records for which `isIncluded` holds.
    public func filter(_ name: String = "filter", _ isIncluded: @escaping (Element) -> Bool) -> Stream<Element> {
        stateless(.filter, name, (chain ?? FusedChain<Element, Element>.identity).erasedFilter(name, isIncluded))
    }

    /// Zero or more outputs per record: `expand` calls its continuation once per output.
    public func flatMap<Next>(
        _ name: String = "flatMap", _ expand: @escaping (Element, (Next) -> Void) -> Void
    ) -> Stream<Next> {
        stateless(.flatMap, name, (chain ?? FusedChain<Element, Element>.identity).erasedFlatMap(name, expand))
    }

    /// Partitions the stream by `key`; `name` says what the key is, e.g. `user`.
    public func keyBy<Key: Hashable & Sendable>(_ name: String, _ key: @escaping (Element) -> Key) -> KeyedStream<Key, Element> {
        let id = builder.addNode(
            kind: .keyBy, name: name, inputs: [(node, elementType)], outputType: StreamGraph.typeName(Element.self),
            keyType: StreamGraph.typeName(Key.self), parameters: [.init("key", name), .init("partitioner", "hash(key)")])
        return KeyedStream(builder: builder, node: id, key: key)
    }

    /// Materializes a changelog stream as a table: the latest value per key, a `nil` value
    /// deleting the key.
    public func table<Key: Hashable & Sendable, Value>(_ name: String = "table") -> TableStream<Key, Value>
    where Element == ChangelogRecord<Key, Value> {
        let id = builder.addNode(
            kind: .table, name: name, inputs: [(node, elementType)], outputType: StreamGraph.typeName(Element.self),
            keyType: StreamGraph.typeName(Key.self), parameters: [.init("tombstones", "delete")])
        return TableStream(builder: builder, node: id)
    }

    /// Writes the stream outside; `parameters` describe where.
    @discardableResult
    public func sink(_ name: String, parameters: [StreamGraph.Parameter] = []) -> StreamGraph.NodeID {
        builder.addNode(kind: .sink, name: name, inputs: [(node, elementType)], outputType: nil, parameters: parameters)
    }

    /// The stateless steps from `head` to this stream fused into one chain; `nil` when the
    /// path between them holds a stateful node or `head` is not where this chain starts.
    public func fusedChain<Input>(from head: Stream<Input>) -> FusedChain<Input, Element>? {
        if head.node == node { return FusedChain<Input, Input>.identity as? FusedChain<Input, Element> }
        guard head.node == chainHead, let chain else { return nil }
        return chain as? FusedChain<Input, Element>
    }
}
