/// Why a graph is invalid, naming the node it concerns.
///
/// Callers match on ``code``, whose raw values are stable.
public struct StreamGraphError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, CaseIterable {
        /// The graph has no source node.
        case noSource = "graph.no_source"
        /// Two nodes share an id.
        case duplicateNode = "graph.duplicate_node"
        /// An edge names a node that does not exist.
        case unknownNode = "graph.unknown_node"
        /// A node has the wrong number of inputs for its kind (or a sink has an output).
        case wrongInputCount = "graph.wrong_input_count"
        /// An edge carries a type the consuming port does not take.
        case typeMismatch = "graph.type_mismatch"
        /// The edges form a cycle.
        case cycle = "graph.cycle"
        /// A node's output goes nowhere: every path must end in a sink.
        case danglingOutput = "graph.dangling_output"
        /// A window or join input is not partitioned by a key, or a table has no key type.
        case notKeyed = "graph.not_keyed"
        /// A join's inputs are keyed by different key types or read topics with different
        /// partition counts, so equal keys may live in different tasks.
        case joinNotCoPartitioned = "graph.join_not_co_partitioned"
        /// An aggregate does not follow a window.
        case aggregateWithoutWindow = "graph.aggregate_without_window"
    }

    /// What is wrong.
    public var code: Code
    /// The node concerned, if any.
    public var node: StreamGraph.NodeID?
    /// Details, for people.
    public var detail: String

    /// An error of kind `code`.
    public init(_ code: Code, node: StreamGraph.NodeID? = nil, _ detail: String) {
        self.code = code
        self.node = node
        self.detail = detail
    }

    /// `code: node n: detail`.
    public var description: String {
        "\(code.rawValue): " + (node.map { "node n\($0): " } ?? "") + detail
    }
}
