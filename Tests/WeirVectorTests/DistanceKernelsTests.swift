import Testing
import WeirVector
import WeirCore

/// The SIMD kernels against a plain scalar reference, for every dimension from 1 to 70 (all
/// combinations of 16-, 8- and 4-wide chunks and scalar tails).
@Suite struct DistanceKernelsTests {
    static let seed: UInt64 = 0xD157
    static func reference(_ a: [Float], _ b: [Float]) -> (dot: Double, l2: Double) {
        var dot = 0.0
        var l2 = 0.0
        for i in a.indices {
            dot += Double(a[i]) * Double(b[i])
            l2 += (Double(a[i]) - Double(b[i])) * (Double(a[i]) - Double(b[i]))
        }
        return (dot, l2)
    }

    @Test(arguments: 1...70)
    func kernelsMatchScalarReference(dimension: Int) {
        var rng = SplitMix64(seed: Self.seed &+ UInt64(dimension))
        for _ in 0..<20 {
            let a = (0..<dimension).map { _ in VectorSet.gaussian(&rng) * 3 }
            let b = (0..<dimension).map { _ in VectorSet.gaussian(&rng) * 3 }
            let expected = Self.reference(a, b)
            let dot = DistanceKernels.dot(a, b, dimension)
            let l2 = DistanceKernels.squaredL2(a, b, dimension)
            let scale = a.reduce(0.0) { $0 + Double(abs($1)) } * b.reduce(0.0) { $0 + Double(abs($1)) } / Double(dimension)
            #expect(abs(Double(dot) - expected.dot) <= 1e-5 * max(scale, 1), "seed \(Self.seed), d=\(dimension)")
            #expect(abs(Double(DistanceKernels.scalarDot(a, b, dimension)) - expected.dot) <= 1e-5 * max(scale, 1))
            #expect(abs(Double(DistanceKernels.scalarSquaredL2(a, b, dimension)) - expected.l2) <= 1e-5 * max(expected.l2, 1))
            #expect(abs(Double(l2) - expected.l2) <= 1e-5 * max(expected.l2, 1), "seed \(Self.seed), d=\(dimension)")
            #expect(abs(Double(VectorMetric.l2.distance(a, b)) - expected.l2) <= 1e-5 * max(expected.l2, 1))
            #expect(abs(Double(VectorMetric.innerProduct.distance(a, b)) - (1 - expected.dot)) <= 1e-5 * max(scale, 1))
        }
    }

    @Test func cosineDistanceIsOneMinusCosineSimilarity() {
        #expect(abs(VectorMetric.cosine.distance([1, 0, 0], [2, 0, 0])) < 1e-6)
        #expect(abs(VectorMetric.cosine.distance([1, 0], [0, 3]) - 1) < 1e-6)
        #expect(abs(VectorMetric.cosine.distance([1, 1], [-1, -1]) - 2) < 1e-6)
    }

    @Test func normalizeGivesUnitLengthAndRejectsZero() {
        var v: [Float] = [3, 4, 0, 0, 0]
        #expect(v.withUnsafeMutableBufferPointer { DistanceKernels.normalize($0.baseAddress!, 5) })
        #expect(abs(v[0] - 0.6) < 1e-6 && abs(v[1] - 0.8) < 1e-6)
        var zero: [Float] = [0, 0, 0]
        #expect(!zero.withUnsafeMutableBufferPointer { DistanceKernels.normalize($0.baseAddress!, 3) })
    }
}
