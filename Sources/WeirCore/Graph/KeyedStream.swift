/// A typed stream of `Value`s partitioned by `Key`, made by ``Stream/keyBy(_:_:)``. Windows
/// and joins need one: state is per key, and equal keys meet in the same task.
public struct KeyedStream<Key: Hashable & Sendable, Value> {
    /// The builder this stream belongs to.
    public let builder: StreamGraphBuilder
    /// The keyBy node producing this stream.
    public let node: StreamGraph.NodeID
    /// Computes a record's key (for the runtime's partitioner).
    public let key: (Value) -> Key

    internal var valueType: String { StreamGraph.typeName(Value.self) }

    /// Assigns the records to event-time windows per key.
    public func window(_ spec: StreamGraph.WindowDescription, name: String? = nil) -> WindowedStream<Key, Value> {
        let id = builder.addNode(
            kind: .window, name: name ?? spec.kind.rawValue, inputs: [(node, valueType)],
            outputType: valueType, keyType: StreamGraph.typeName(Key.self), parameters: spec.parameters)
        return WindowedStream(builder: builder, node: id)
    }

    /// Interval join with `other`: pairs of equal key with
    /// `other.ts - bounds.before <= ts <= other.ts + bounds.after` (see ``IntervalJoin``).
    public func intervalJoin<Other>(
        _ other: KeyedStream<Key, Other>, bounds: IntervalJoinBounds, name: String = "interval_join"
    ) -> Stream<IntervalJoinMatch<Key, Value, Other>> {
        let id = builder.addNode(
            kind: .join, name: name, inputs: [(node, valueType), (other.node, other.valueType)],
            outputType: StreamGraph.typeName(IntervalJoinMatch<Key, Value, Other>.self),
            parameters: [
                .init("type", "interval"), .init("before_ms", "\(bounds.before)"), .init("after_ms", "\(bounds.after)"),
                .init("allowed_lateness_ms", "\(bounds.allowedLateness)"),
            ])
        return Stream(builder: builder, node: id, chain: nil)
    }

    /// Joins each record with `table`'s value for its key when it is processed (see
    /// ``StreamTableJoin``).
    public func join<TableValue>(
        _ table: TableStream<Key, TableValue>, mode: StreamTableJoinMode = .inner, name: String = "table_join"
    ) -> Stream<StreamTableJoinResult<Key, Value, TableValue>> {
        let id = builder.addNode(
            kind: .join, name: name,
            inputs: [(node, valueType), (table.node, StreamGraph.typeName(ChangelogRecord<Key, TableValue>.self))],
            outputType: StreamGraph.typeName(StreamTableJoinResult<Key, Value, TableValue>.self),
            parameters: [.init("type", "stream_table"), .init("mode", mode.rawValue)])
        return Stream(builder: builder, node: id, chain: nil)
    }
}

/// A table materialized from a changelog stream, made by ``Stream/table(_:)``, for
/// ``KeyedStream/join(_:mode:name:)``.
public struct TableStream<Key: Hashable & Sendable, Value> {
    /// The builder this table belongs to.
    public let builder: StreamGraphBuilder
    /// The table node.
    public let node: StreamGraph.NodeID
}

/// Records of one key assigned to windows, made by ``KeyedStream/window(_:name:)``; an
/// aggregate turns it back into a stream of results.
public struct WindowedStream<Key: Hashable & Sendable, Value> {
    /// The builder this stream belongs to.
    public let builder: StreamGraphBuilder
    /// The window node.
    public let node: StreamGraph.NodeID

    /// Folds each window's records per key into a `Result` (described by `name` and
    /// `parameters`, e.g. `exact_distinct(user)`); emits one upsert per window and key.
    public func aggregate<Result>(
        _ name: String, into result: Result.Type = Result.self, parameters: [StreamGraph.Parameter] = []
    ) -> Stream<StreamGraph.Windowed<Key, Result>> {
        let id = builder.addNode(
            kind: .aggregate, name: name, inputs: [(node, StreamGraph.typeName(Value.self))],
            outputType: StreamGraph.typeName(StreamGraph.Windowed<Key, Result>.self),
            keyType: StreamGraph.typeName(Key.self), parameters: parameters)
        return Stream(builder: builder, node: id, chain: nil)
    }
}
