/// A problem with a topology file or with running a topology, with the file, line and
/// field it concerns.
public struct TopologyError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of problem; callers match on this.
    public enum Code: String, Sendable {
        case unreadableFile = "topology.unreadable_file"
        case syntax = "topology.syntax"
        case unknownField = "topology.unknown_field"
        case missingField = "topology.missing_field"
        case invalidValue = "topology.invalid_value"
        case undefinedVariable = "topology.undefined_variable"
        case source = "topology.source"
        case sink = "topology.sink"
        case uncommittedAtShutdown = "topology.uncommitted_at_shutdown"
        /// Another group member committed a partition this process was processing.
        case fenced = "topology.fenced"
        /// The embedding service refused the credentials or is misconfigured.
        case embedder = "topology.embedder"
        /// Stored state was built by another definition of the operator (see `weir run --reset-state`).
        case stateMismatch = "topology.state_mismatch"
        /// A stored state chunk passed its checksum but could not be restored.
        case stateUnreadable = "topology.state_unreadable"
    }

    public var code: Code
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// The dotted field path, e.g. `source.kafka.topic`.
    public var field: String?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    /// `file:line:column: field: message`, the form editors and terminals link to.
    public var description: String {
        var location = ""
        if let file {
            location = file
            if let line {
                location += ":\(line)"
                if let column { location += ":\(column)" }
            }
            location += ": "
        }
        let fieldPart = field.map { "\($0): " } ?? ""
        return "\(location)\(fieldPart)\(message)"
    }
}
