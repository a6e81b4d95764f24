#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirVector
import WeirCore

/// Seeded test vectors: Gaussian clusters (so neighbors are not trivially easy to find), their
/// brute-force nearest neighbors, and recall. Every generator takes a seed that tests print
/// on failure.
struct VectorSet {
    let dimension: Int
    /// Row-major, `count * dimension` floats.
    var flat: [Float]

    var count: Int { flat.count / dimension }

    func row(_ i: Int) -> [Float] { Array(flat[(i * dimension)..<((i + 1) * dimension)]) }

    /// `count` points around `clusters` centers: centers ~ N(0, 1) per coordinate, points are
    /// a center plus N(0, spread^2) noise, and each point scaled by a factor in [0.5, 1.5] so
    /// norms vary (which matters for inner product). With the default spread the clusters
    /// overlap: at 20k x 32-d, ef = 10 finds only ~85% of the true top 10.
    static func clustered(
        count: Int, dimension: Int, clusters: Int, spread: Float = 1.0, seed: UInt64
    ) -> VectorSet {
        var rng = SplitMix64(seed: seed)
        var centers: [Float] = []
        for _ in 0..<(clusters * dimension) { centers.append(gaussian(&rng)) }
        var flat: [Float] = []
        flat.reserveCapacity(count * dimension)
        for _ in 0..<count {
            let c = Int(rng.next() % UInt64(clusters))
            let scale = 0.5 + Float(rng.nextOpenUnit())
            for j in 0..<dimension {
                flat.append((centers[c * dimension + j] + spread * gaussian(&rng)) * scale)
            }
        }
        return VectorSet(dimension: dimension, flat: flat)
    }

    /// A standard normal sample (Box-Muller).
    static func gaussian(_ rng: inout SplitMix64) -> Float {
        let u1 = rng.nextOpenUnit()
        let u2 = rng.nextOpenUnit()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

/// Exact nearest neighbors by scanning every vector.
enum BruteForce {
    /// The ids of the `k` vectors nearest `query` among `candidates` (indices into `set` with
    /// their ids), closest first, under `metric`.
    static func nearest(
        _ query: [Float], in set: VectorSet, candidates: [(index: Int, id: String)], metric: VectorMetric, k: Int
    ) -> [String] {
        let q = metric == .cosine ? normalized(query) : query
        var best: [(Float, String)] = []
        best.reserveCapacity(k + 1)
        set.flat.withUnsafeBufferPointer { flat in
            q.withUnsafeBufferPointer { qp in
                for (index, id) in candidates {
                    let v = flat.baseAddress! + index * set.dimension
                    let d: Float
                    // The scalar kernels: in a debug build they are several times faster than
                    // the SIMD ones (which DistanceKernelsTests checks against them).
                    switch metric {
                    case .l2: d = DistanceKernels.scalarSquaredL2(qp.baseAddress!, v, set.dimension)
                    case .innerProduct: d = 1 - DistanceKernels.scalarDot(qp.baseAddress!, v, set.dimension)
                    case .cosine:
                        let norm = DistanceKernels.scalarDot(v, v, set.dimension).squareRoot()
                        d = 1 - DistanceKernels.scalarDot(qp.baseAddress!, v, set.dimension) / norm
                    }
                    if best.count < k || d < best[best.count - 1].0 {
                        var at = best.count
                        while at > 0 && best[at - 1].0 > d { at -= 1 }
                        best.insert((d, id), at: at)
                        if best.count > k { best.removeLast() }
                    }
                }
            }
        }
        return best.map(\.1)
    }

    static func normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }
}

/// Recall@k of `found` against `truth`: the share of true neighbors that were returned.
func recall(found: [[String]], truth: [[String]]) -> Double {
    var hits = 0
    var total = 0
    for (f, t) in zip(found, truth) {
        let expected = Set(t)
        hits += f.filter { expected.contains($0) }.count
        total += t.count
    }
    return total == 0 ? 1 : Double(hits) / Double(total)
}
