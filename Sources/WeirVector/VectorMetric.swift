/// How an index measures the distance between two vectors. Smaller is closer for every metric.
///
/// - `cosine`: vectors are L2-normalized when inserted (and queries when searched), and the
///   distance is `1 - dot(a, b)`, in `[0, 2]`. An all-zero vector is rejected.
/// - `l2`: the squared Euclidean distance `sum((a - b)^2)` (the square root is not taken; it
///   does not change the order).
/// - `innerProduct`: `1 - dot(a, b)` on the raw vectors (maximum inner-product search).
public enum VectorMetric: String, Sendable, Hashable, CaseIterable {
    /// `1 - cos(a, b)`, on vectors normalized at insert.
    case cosine
    /// Squared Euclidean distance.
    case l2
    /// `1 - dot(a, b)` on raw vectors; spelled `inner_product` on the command line.
    case innerProduct = "inner_product"

    /// The distance between two vectors of equal length under this metric, computed exactly as
    /// the index computes it (for cosine the inputs are normalized first, so it accepts any
    /// non-zero vectors). Meant for brute-force checks and callers that rank a few vectors.
    ///
    /// - Complexity: O(d) for vectors of dimension d.
    public func distance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "distance: vectors of different lengths")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return 0 }
                switch self {
                case .l2:
                    return DistanceKernels.squaredL2(x, y, a.count)
                case .innerProduct:
                    return 1 - DistanceKernels.dot(x, y, a.count)
                case .cosine:
                    let na = DistanceKernels.dot(x, x, a.count).squareRoot()
                    let nb = DistanceKernels.dot(y, y, b.count).squareRoot()
                    guard na > 0, nb > 0 else { return 1 }
                    return 1 - DistanceKernels.dot(x, y, a.count) / (na * nb)
                }
            }
        }
    }
}
