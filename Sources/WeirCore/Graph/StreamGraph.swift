/// A topology as a plain graph: nodes with a kind, element types and parameters, and the
/// edges between them. The typed builder (``StreamGraphBuilder``, ``Stream``) lowers to
/// it; the runtime and the topology loader work on it, and it can be printed, validated
/// and compared.
public struct StreamGraph: Sendable, Hashable {
    /// A node's identity within one graph.
    public typealias NodeID = Int

    /// What a node does.
    public enum NodeKind: String, Sendable, Hashable, CaseIterable {
        /// Reads records from outside (a Kafka topic); has no input.
        case source
        /// One output per input.
        case map
        /// The inputs for which a predicate holds.
        case filter
        /// Zero or more outputs per input.
        case flatMap
        /// Partitions the stream by a key; downstream state is per key.
        case keyBy
        /// Materializes a changelog stream as a table (latest value per key).
        case table
        /// Assigns records to event-time windows.
        case window
        /// Folds the records of each window (or key) into a result.
        case aggregate
        /// Joins two keyed inputs (interval join, or stream-table join).
        case join
        /// Writes records outside (PostgreSQL, Kafka); has no output.
        case sink

        /// Whether the node keeps no state, so it can be fused into a chain.
        public var isStateless: Bool { self == .map || self == .filter || self == .flatMap }

        /// How many inputs a node of this kind takes.
        public var inputCount: Int {
            switch self {
            case .source: return 0
            case .join: return 2
            default: return 1
            }
        }
    }

    /// One named parameter of a node, kept in declaration order.
    public struct Parameter: Sendable, Hashable, CustomStringConvertible {
        /// The parameter's name, e.g. `topic`.
        public var name: String
        /// Its value, printed as is.
        public var value: String

        /// A parameter.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        /// `name=value`.
        public var description: String { "\(name)=\(value)" }
    }

    /// One operator of the graph.
    public struct Node: Sendable, Hashable, Identifiable {
        /// Unique within the graph.
        public var id: NodeID
        /// What it does.
        public var kind: NodeKind
        /// A short name for people, e.g. `decode` or `postgres`.
        public var name: String
        /// The element type it consumes per input port (`String(describing: T.self)`).
        public var inputTypes: [String]
        /// The element type it produces; `nil` for a sink.
        public var outputType: String?
        /// The key type its output is partitioned by, if keyed.
        public var keyType: String?
        /// Kind-specific settings, in order.
        public var parameters: [Parameter]
        /// For a stateless node: the node its fused chain starts after.
        public var chainHead: NodeID?

        /// A node.
        public init(
            id: NodeID, kind: NodeKind, name: String, inputTypes: [String], outputType: String?,
            keyType: String? = nil, parameters: [Parameter] = [], chainHead: NodeID? = nil
        ) {
            self.id = id
            self.kind = kind
            self.name = name
            self.inputTypes = inputTypes
            self.outputType = outputType
            self.keyType = keyType
            self.parameters = parameters
            self.chainHead = chainHead
        }

        /// The value of the parameter `name`, if set.
        public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
    }

    /// A data flow from one node's output to an input port of another.
    public struct Edge: Sendable, Hashable {
        /// The producing node.
        public var from: NodeID
        /// The consuming node.
        public var to: NodeID
        /// The input port of `to`: 0, or 1 for a join's right input.
        public var port: Int

        /// An edge.
        public init(from: NodeID, to: NodeID, port: Int = 0) {
            self.from = from
            self.to = to
            self.port = port
        }
    }

    /// The topology's name.
    public var name: String
    /// The nodes, in the order they were declared.
    public var nodes: [Node]
    /// The edges, in the order they were declared.
    public var edges: [Edge]

    /// A graph.
    public init(name: String, nodes: [Node] = [], edges: [Edge] = []) {
        self.name = name
        self.nodes = nodes
        self.edges = edges
    }

    /// The node with `id`, if any.
    ///
    /// - Complexity: O(n).
    public func node(_ id: NodeID) -> Node? { nodes.first { $0.id == id } }

    /// The edges into `id`, ordered by port.
    public func inputs(of id: NodeID) -> [Edge] { edges.filter { $0.to == id }.sorted { $0.port < $1.port } }

    /// The edges out of `id`.
    public func outputs(of id: NodeID) -> [Edge] { edges.filter { $0.from == id } }

    /// The source nodes, in declaration order.
    public var sources: [Node] { nodes.filter { $0.kind == .source } }
}
