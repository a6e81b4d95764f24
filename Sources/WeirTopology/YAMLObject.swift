import Yams

/// A YAML mapping from a topology file, read field by field with the file, line and dotted
/// path at hand for every error. Unknown keys are errors, with a suggestion for typos.
struct YAMLObject {
    let file: String
    let path: String
    let node: Node
    let mapping: Node.Mapping
    let environment: [String: String]

    init(file: String, path: String, node: Node, environment: [String: String]) throws(TopologyError) {
        guard let mapping = node.mapping else {
            throw TopologyError(
                .invalidValue, "expected a mapping of fields", file: file, line: node.mark?.line,
                column: node.mark?.column, field: path.isEmpty ? nil : path)
        }
        self.file = file
        self.path = path
        self.node = node
        self.mapping = mapping
        self.environment = environment
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ code: TopologyError.Code, _ message: String, key: String, at node: Node? = nil) -> TopologyError {
        let mark = (node ?? self.node).mark
        return TopologyError(code, message, file: file, line: mark?.line, column: mark?.column, field: fieldPath(key))
    }

    /// Fails on any key not in `allowed`, naming the closest allowed key.
    func rejectUnknownKeys(_ allowed: [String]) throws(TopologyError) {
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "?"
            guard !allowed.contains(key) else { continue }
            let suggestion = allowed.min { editDistance($0, key) < editDistance($1, key) }
            var message = "unknown field '\(key)'"
            if let suggestion, editDistance(suggestion, key) <= 3 { message += "; did you mean '\(suggestion)'?" }
            message += " (expected one of: \(allowed.joined(separator: ", ")))"
            throw error(.unknownField, message, key: key, at: keyNode)
        }
    }

    func value(_ key: String) -> Node? { mapping[key] }

    func requireValue(_ key: String) throws(TopologyError) -> Node {
        guard let node = mapping[key] else {
            throw error(.missingField, "required field '\(key)' is missing", key: key)
        }
        return node
    }

    func object(_ key: String) throws(TopologyError) -> YAMLObject? {
        guard let node = mapping[key] else { return nil }
        return try YAMLObject(file: file, path: fieldPath(key), node: node, environment: environment)
    }

    func requireObject(_ key: String) throws(TopologyError) -> YAMLObject {
        try YAMLObject(file: file, path: fieldPath(key), node: requireValue(key), environment: environment)
    }

    func string(_ key: String) throws(TopologyError) -> String? {
        guard let node = mapping[key] else { return nil }
        guard let scalar = node.scalar else {
            throw error(.invalidValue, "expected a text value", key: key, at: node)
        }
        return try expand(scalar.string, key: key, node: node)
    }

    func requireString(_ key: String) throws(TopologyError) -> String {
        guard let s = try string(key) else {
            throw error(.missingField, "required field '\(key)' is missing", key: key)
        }
        guard !s.isEmpty else { throw error(.invalidValue, "must not be empty", key: key, at: mapping[key]) }
        return s
    }

    func int(_ key: String, range: ClosedRange<Int>) throws(TopologyError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let v = Int(text.replacingUnderscores()), range.contains(v) else {
            throw error(.invalidValue, "expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'", key: key, at: mapping[key])
        }
        return v
    }

    /// A flat mapping of text values (e.g. extra librdkafka properties).
    func stringMap(_ key: String) throws(TopologyError) -> [(String, String)] {
        guard let object = try object(key) else { return [] }
        var result: [(String, String)] = []
        for (k, _) in object.mapping {
            guard let name = k.string else { continue }
            result.append((name, try object.requireString(name)))
        }
        return result
    }

    /// Replaces `${NAME}` and `${NAME:-default}` with environment values.
    func expand(_ text: String, key: String, node: Node) throws(TopologyError) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(.invalidValue, "unterminated ${ in value", key: key, at: node)
            }
            let expression = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let sep = expression.firstRange(of: ":-") {
                name = expression[..<sep.lowerBound]
                fallback = expression[sep.upperBound...]
            } else {
                name = expression
                fallback = nil
            }
            if let value = environment[String(name)], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                throw error(.undefinedVariable, "environment variable \(name) is not set and has no default (${\(name):-default})", key: key, at: node)
            }
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return out
    }
}

extension String {
    func replacingUnderscores() -> String { filter { $0 != "_" } }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
