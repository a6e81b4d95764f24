import Foundation
import Testing
@_spi(Testing) import WeirCore

/// DDSketch: every tested quantile within relative error alpha of the exact one, and
/// merged partials equal to one pass.
///
/// The exact q-quantile is the item of 0-based rank `floor(q * (n - 1))` in ascending
/// order, the rank the sketch itself looks up.
struct DDSketchSketchesTests {
    static let quantiles = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0]

    enum Distribution: String, CaseIterable, CustomTestStringConvertible {
        case uniform, exponential, lognormal, pareto, normalWithNegatives, mixedSignsWithZeros

        var testDescription: String { rawValue }

        func sample(_ random: inout SplitMix64) -> Double {
            func normal() -> Double {
                let u = 1 - random.nextUnit()
                let v = random.nextUnit()
                return Foundation.sqrt(-2 * Foundation.log(u)) * Foundation.cos(2 * Double.pi * v)
            }
            switch self {
            case .uniform: return 1 + 999 * random.nextUnit()
            case .exponential: return -Foundation.log(1 - random.nextUnit())
            case .lognormal: return Foundation.exp(2 * normal())
            case .pareto: return 1 / Foundation.pow(1 - random.nextUnit(), 1 / 1.2)
            case .normalWithNegatives: return 100 * normal()
            case .mixedSignsWithZeros:
                switch random.below(4) {
                case 0: return 0
                case 1: return -Foundation.exp(3 * normal())
                default: return Foundation.exp(3 * normal())
                }
            }
        }
    }

    static func exactQuantile(_ sorted: [Double], _ q: Double) -> Double {
        sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
    }

    /// The largest relative error over the tested quantiles.
    static func maxRelativeError(_ sketch: DDSketch, _ sorted: [Double], seed: UInt64, label: String) -> Double {
        let alpha = sketch.relativeAccuracy
        var worst = 0.0
        for q in quantiles {
            let exact = exactQuantile(sorted, q)
            guard let estimate = sketch.quantile(q) else {
                Issue.record("no quantile \(q)")
                continue
            }
            let error = exact == 0 ? estimate.magnitude : (estimate - exact).magnitude / exact.magnitude
            worst = max(worst, error)
            // alpha, plus a margin for the floating-point rounding of the index mapping.
            #expect(error <= alpha * (1 + 1e-9), "\(label) q \(q): \(estimate) vs exact \(exact), seed \(seed)")
        }
        return worst
    }

    @Test(arguments: Distribution.allCases)
    func quantilesAreWithinRelativeAccuracy(distribution: Distribution) {
        let seed = TestSeed.value(default: 0x5EED_0401)
        var random = SplitMix64(seed: seed)
        for alpha in [0.01, 0.05] {
            var sketch = DDSketch(relativeAccuracy: alpha)
            var values: [Double] = []
            for _ in 0..<30_000 {
                let x = distribution.sample(&random)
                values.append(x)
                let accepted = sketch.add(x)
                #expect(accepted)
            }
            values.sort()
            let worst = Self.maxRelativeError(sketch, values, seed: seed, label: "\(distribution) alpha \(alpha)")
            print("DDSketch \(distribution) alpha=\(alpha): max relative error \(String(format: "%.5f", worst))")
            #expect(sketch.count == UInt64(values.count))
            #expect(sketch.min == values.first && sketch.max == values.last)
            let exactSum = values.reduce(0, +)
            #expect((sketch.sum - exactSum).magnitude <= 1e-9 * values.reduce(0) { $0 + $1.magnitude })
        }
    }

    @Test(arguments: Distribution.allCases)
    func mergedPartialsEqualOnePass(distribution: Distribution) {
        let seed = TestSeed.value(default: 0x5EED_0402)
        var random = SplitMix64(seed: seed)
        let n = 20_000
        let values = (0..<n).map { _ in distribution.sample(&random) }
        // A small bucket limit makes the lowest buckets collapse; merging must still be exact.
        for limit in [2048, 64] {
            var single = DDSketch(relativeAccuracy: 0.01, maxBucketCount: limit)
            var parts = [DDSketch](repeating: DDSketch(relativeAccuracy: 0.01, maxBucketCount: limit), count: 6)
            for x in values {
                single.add(x)
                parts[random.below(parts.count)].add(x)
            }
            let merged = mergeRandomly(parts, using: &random)
            let a = merged.buckets(), b = single.buckets()
            #expect(a.negative.map(\.0) == b.negative.map(\.0) && a.negative.map(\.1) == b.negative.map(\.1), "seed \(seed)")
            #expect(a.positive.map(\.0) == b.positive.map(\.0) && a.positive.map(\.1) == b.positive.map(\.1), "seed \(seed)")
            #expect(merged.count == single.count && merged.zeroCount == single.zeroCount, "seed \(seed)")
            #expect(merged.min == single.min && merged.max == single.max, "seed \(seed)")
            #expect((merged.sum - single.sum).magnitude <= 1e-9 * values.reduce(0) { $0 + $1.magnitude }, "seed \(seed)")
            for q in Self.quantiles { #expect(merged.quantile(q) == single.quantile(q), "q \(q), seed \(seed)") }
            if limit == 2048 {
                _ = Self.maxRelativeError(merged, values.sorted(), seed: seed, label: "merged \(distribution)")
            }
        }
    }

    /// With collapsed low buckets, the quantiles above the collapsed bucket keep their
    /// guarantee (the collapsed ones do not: that is the price of the bucket limit).
    @Test func collapsingKeepsUpperQuantilesAccurate() {
        let seed = TestSeed.value(default: 0x5EED_0403)
        var random = SplitMix64(seed: seed)
        var sketch = DDSketch(relativeAccuracy: 0.01, maxBucketCount: 400)
        var values: [Double] = []
        for _ in 0..<20_000 {
            let x = Distribution.lognormal.sample(&random)
            values.append(x)
            sketch.add(x)
        }
        values.sort()
        let buckets = sketch.buckets().positive
        #expect(buckets.last!.0 - buckets.first!.0 < 400)
        // Values above the upper bound of the lowest (collapsed) bucket are exact to alpha.
        let collapsedUpTo = sketch.mapping.value(of: buckets.first!.0) * (1 + sketch.mapping.gamma) / 2
        #expect(values.first! < collapsedUpTo, "nothing collapsed, seed \(seed)")
        var checked = 0
        for q in Self.quantiles where Self.exactQuantile(values, q) > collapsedUpTo {
            let exact = Self.exactQuantile(values, q)
            let estimate = sketch.quantile(q)!
            #expect((estimate - exact).magnitude <= 0.01 * (1 + 1e-9) * exact, "q \(q), seed \(seed)")
            checked += 1
        }
        #expect(checked >= 4, "seed \(seed)")
    }

    @Test func edgeCases() {
        var sketch = DDSketch()
        #expect(sketch.quantile(0.5) == nil)
        let rejected = [Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude].map { sketch.add($0) }
        #expect(rejected == [false, false, false, false])
        #expect(sketch.isEmpty)
        sketch.add(42, count: 3)
        #expect(sketch.quantile(0) == 42 && sketch.quantile(1) == 42 && sketch.quantile(0.5) == 42)
        #expect(sketch.quantile(1.5) == nil && sketch.quantile(-0.1) == nil)
        sketch.add(0)
        sketch.add(-Double.leastNonzeroMagnitude * 4)
        #expect(sketch.zeroCount == 2 && sketch.count == 5)
        #expect(DDSketch(relativeAccuracy: 0.02).merging(sketch).count == 5)
    }
}
