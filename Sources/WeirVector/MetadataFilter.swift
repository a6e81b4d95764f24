/// A predicate on a document's metadata (`[String: String]`, e.g. `status=active`), checked
/// during the graph search: documents that fail it are still walked through but never
/// returned, so a selective filter still yields `k` results.
public struct MetadataFilter: Sendable {
    indirect enum Node: Sendable {
        case equals(String, String)
        case exists(String)
        case not(Node)
        case all([Node])
        case any([Node])
        case predicate(@Sendable ([String: String]) -> Bool)
    }

    let node: Node

    /// Matches documents whose metadata has `key` set to exactly `value`.
    public static func equals(_ key: String, _ value: String) -> MetadataFilter { .init(node: .equals(key, value)) }
    /// Matches documents whose metadata has `key` at all.
    public static func exists(_ key: String) -> MetadataFilter { .init(node: .exists(key)) }
    /// Matches documents that `filter` does not match.
    public static func not(_ filter: MetadataFilter) -> MetadataFilter { .init(node: .not(filter.node)) }
    /// Matches documents that every filter matches (all documents when empty).
    public static func allOf(_ filters: [MetadataFilter]) -> MetadataFilter { .init(node: .all(filters.map(\.node))) }
    /// Matches documents that at least one filter matches (none when empty).
    public static func anyOf(_ filters: [MetadataFilter]) -> MetadataFilter { .init(node: .any(filters.map(\.node))) }
    /// Matches documents for which `body` returns true. It runs under the index's read lock,
    /// so it must be quick and must not call back into the index.
    public static func predicate(_ body: @escaping @Sendable ([String: String]) -> Bool) -> MetadataFilter {
        .init(node: .predicate(body))
    }

    /// Whether `metadata` passes the filter.
    ///
    /// - Complexity: O(size of the filter) dictionary look-ups.
    public func matches(_ metadata: [String: String]) -> Bool { Self.evaluate(node, metadata) }

    private static func evaluate(_ node: Node, _ metadata: [String: String]) -> Bool {
        switch node {
        case .equals(let key, let value): return metadata[key] == value
        case .exists(let key): return metadata[key] != nil
        case .not(let inner): return !evaluate(inner, metadata)
        case .all(let nodes): return nodes.allSatisfy { evaluate($0, metadata) }
        case .any(let nodes): return nodes.contains { evaluate($0, metadata) }
        case .predicate(let body): return body(metadata)
        }
    }
}
