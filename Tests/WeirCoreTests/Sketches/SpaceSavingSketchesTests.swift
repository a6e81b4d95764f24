import Foundation
import Testing
import WeirCore

/// Space-Saving on Zipf streams: the true top 10 are reported, with counts within
/// [true, true + N/m], in one pass and after merging partials.
struct SpaceSavingSketchesTests {
    /// A Zipf(s) stream over `universe` keys: key r (0-based) has weight 1/(r+1)^s. Keys
    /// are scrambled so that rank and key order differ.
    static func zipfStream(count: Int, universe: Int, exponent s: Double, using random: inout SplitMix64) -> [Int] {
        var cumulative: [Double] = []
        var total = 0.0
        for r in 1...universe {
            total += 1 / Foundation.pow(Double(r), s)
            cumulative.append(total)
        }
        return (0..<count).map { _ in
            let u = random.nextUnit() * total
            var lo = 0, hi = universe - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo &* 7_919 % 100_003
        }
    }

    static func check(_ summary: SpaceSaving<Int>, truth: [Int: UInt64], label: String, seed: UInt64) {
        let n = truth.values.reduce(0, +)
        #expect(summary.totalCount == n)
        let slack = n / UInt64(summary.capacity)
        let trueTop = truth.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(11)
        let top = summary.top(10)
        #expect(Set(top.map(\.key)) == Set(trueTop.prefix(10).map(\.key)), "\(label): top 10, seed \(seed)")
        for e in summary.top(summary.capacity) {
            let t = truth[e.key, default: 0]
            #expect(e.count >= t && e.count <= t + slack, "\(label): key \(e.key) count \(e.count) true \(t), seed \(seed)")
            #expect(e.lowerBound <= t && e.error <= slack, "\(label): key \(e.key) error \(e.error), seed \(seed)")
        }
        // Every key above N/m is monitored; unmonitored keys are below the minimum count.
        for (key, t) in truth where summary.entry(for: key) == nil {
            #expect(t <= summary.minimumCount && t <= slack, "\(label): key \(key) true \(t) missing, seed \(seed)")
        }
        // The 10th and 11th true counts differ enough here that the top 10 are certain.
        let guaranteed = top.allSatisfy { $0.isGuaranteed }
        #expect(guaranteed, "\(label): guarantees, seed \(seed)")
    }

    @Test(arguments: [1.1, 1.3])
    func onePassReportsTheTrueTopTen(exponent: Double) {
        let seed = TestSeed.value(default: 0x5EED_0501)
        var random = SplitMix64(seed: seed)
        let stream = Self.zipfStream(count: 100_000, universe: 20_000, exponent: exponent, using: &random)
        var summary = SpaceSaving<Int>(capacity: 500)
        var truth: [Int: UInt64] = [:]
        for key in stream {
            summary.add(key)
            truth[key, default: 0] += 1
        }
        Self.check(summary, truth: truth, label: "one pass s=\(exponent)", seed: seed)
    }

    @Test func weightedAddsKeepTheBounds() {
        let seed = TestSeed.value(default: 0x5EED_0502)
        var random = SplitMix64(seed: seed)
        let stream = Self.zipfStream(count: 30_000, universe: 5_000, exponent: 1.2, using: &random)
        var summary = SpaceSaving<Int>(capacity: 300)
        var truth: [Int: UInt64] = [:]
        for key in stream {
            let w = UInt64(1 + random.below(5))
            summary.add(key, count: w)
            truth[key, default: 0] += w
        }
        Self.check(summary, truth: truth, label: "weighted", seed: seed)
    }

    @Test(arguments: [2, 5])
    func mergedPartialsKeepTheBoundsAndTheTopTen(parts: Int) {
        let seed = TestSeed.value(default: 0x5EED_0503) &+ UInt64(parts)
        var random = SplitMix64(seed: seed)
        let stream = Self.zipfStream(count: 100_000, universe: 20_000, exponent: 1.2, using: &random)
        var partials = [SpaceSaving<Int>](repeating: SpaceSaving(capacity: 500), count: parts)
        var truth: [Int: UInt64] = [:]
        for key in stream {
            partials[random.below(parts)].add(key)
            truth[key, default: 0] += 1
        }
        let merged = mergeRandomly(partials, using: &random)
        Self.check(merged, truth: truth, label: "merged \(parts)", seed: seed)
    }

    /// Below capacity the summary is exact, so merged partials equal one pass exactly.
    @Test func belowCapacityMergeIsExact() {
        let seed = TestSeed.value(default: 0x5EED_0504)
        var random = SplitMix64(seed: seed)
        var single = SpaceSaving<String>(capacity: 300)
        var parts = [SpaceSaving<String>](repeating: SpaceSaving(capacity: 300), count: 4)
        for _ in 0..<20_000 {
            let key = "item-\(random.below(1 + random.below(250)))"
            single.add(key)
            parts[random.below(4)].add(key)
        }
        let merged = mergeRandomly(parts, using: &random)
        let a = merged.top(300), b = single.top(300)
        #expect(a.map(\.count) == b.map(\.count), "seed \(seed)")
        #expect(Dictionary(uniqueKeysWithValues: a.map { ($0.key, $0.count) })
                == Dictionary(uniqueKeysWithValues: b.map { ($0.key, $0.count) }), "seed \(seed)")
        let exact = a.allSatisfy { $0.error == 0 }
        #expect(exact, "seed \(seed)")
        #expect(SpaceSaving<String>().merging(single).top(5) == single.top(5))
    }
}
