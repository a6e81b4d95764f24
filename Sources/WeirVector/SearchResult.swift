/// One hit of a search: a document id and its distance to the query under the index metric
/// (smaller is closer; see `VectorMetric`).
public struct SearchResult: Sendable, Hashable {
    /// The document id given at insert.
    public var id: String
    /// The distance to the query.
    public var distance: Float

    /// A hit.
    public init(id: String, distance: Float) {
        self.id = id
        self.distance = distance
    }
}
