/// Turns texts into vectors of one fixed dimension. A topology's documents are embedded in
/// batches through this protocol, and so are `weir search --text` queries, so that queries
/// and documents land in the same space.
///
/// `embed` blocks its thread (network embedders wait for the service); callers run it on the
/// topology's own thread or a server's thread pool, never per record on Swift's cooperative pool.
public protocol Embedder: Sendable {
    /// The length of every vector `embed` returns.
    var dimension: Int { get }
    /// A short, secret-free description for logs, e.g. `hashing(dimension: 384)`.
    var summary: String { get }
    /// One vector per text, in order. Throws `VectorError` with an `embedder*` code.
    func embed(_ texts: [String]) throws(VectorError) -> [[Float]]
}
