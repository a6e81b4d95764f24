import Foundation
import Testing
import WeirCore

/// HyperLogLog++: accuracy from 1 to 10M, sparse exactness, merges.
struct HyperLogLogSketchesTests {
    /// Relative standard error of HyperLogLog with 2^p registers.
    static func standardError(precision p: Int) -> Double { 1.04 / Double(1 << p).squareRoot() }

    /// One sketch at p = 14 fed 10M distinct integers (as 8 little-endian bytes through
    /// XXH64), its estimate checked at 1, 10, ..., 10M. Asserted: within 3 standard errors
    /// (2.44%) everywhere; in the sparse form (up to 4,096 distinct 25-bit indexes at p = 14)
    /// the rounded estimate is within 1 + n/1000 of n, exact at 1, 10 and 100.
    @Test func errorStaysWithinThreeStandardErrorsFromOneToTenMillion() {
        let seed = TestSeed.value(default: 0x5EED_0301)
        let p = 14
        let bound = 3 * Self.standardError(precision: p)
        var sketch = HyperLogLog(precision: p)
        var next = 1
        var added = 0
        var report: [String] = []
        let start = Date()
        let base = Int64(bitPattern: seed &* 0x9E37_79B9_7F4A_7C15)
        while next <= 10_000_000 {
            while added < next {
                sketch.add(int64: base &+ Int64(added))
                added += 1
            }
            let estimate = sketch.cardinality
            let error = (estimate - Double(next)) / Double(next)
            report.append("n=\(next) estimate=\(String(format: "%.1f", estimate)) error=\(String(format: "%+.4f%%", error * 100)) \(sketch.isSparse ? "sparse" : "dense")")
            #expect(error.magnitude <= bound, "n \(next): estimate \(estimate), error \(error), seed \(seed)")
            if sketch.isSparse {
                let off = (Int64(next) - sketch.estimatedCount).magnitude
                #expect(off <= 1 + UInt64(next / 1000), "sparse n \(next): estimate \(estimate), seed \(seed)")
                if next <= 100 { #expect(sketch.estimatedCount == Int64(next), "seed \(seed)") }
            }
            next *= 10
        }
        print("HyperLogLog p=14 accuracy (seed \(seed), \(String(format: "%.1f", Date().timeIntervalSince(start))) s):\n  "
              + report.joined(separator: "\n  "))
    }

    /// Across seeds and precisions at mid-range cardinalities (where sparse, linear-counting
    /// and raw ranges meet), the error stays within 3 standard errors.
    @Test(arguments: [10, 12, 16, 18])
    func errorWithinBoundAtOtherPrecisions(precision p: Int) {
        let seed = TestSeed.value(default: 0x5EED_0302) &+ UInt64(p)
        var random = SplitMix64(seed: seed)
        let bound = 3 * Self.standardError(precision: p)
        for n in [1 << (p - 3), 1 << p, 5 << p] where n <= 400_000 {
            var sketch = HyperLogLog(precision: p)
            for _ in 0..<n { sketch.add(hash: XXHash64.hash(random.next())) }
            let error = (sketch.cardinality - Double(n)) / Double(n)
            #expect(error.magnitude <= bound, "p \(p) n \(n): error \(error), seed \(seed)")
        }
    }

    @Test func duplicatesDoNotCount() {
        var sketch = HyperLogLog()
        for _ in 0..<5 {
            for i in 0..<300 { sketch.add("user-\(i)") }
        }
        #expect(sketch.estimatedCount == 300)
        #expect(HyperLogLog().cardinality == 0)
        var one = HyperLogLog(precision: 10)
        one.add(bytes: Array("x".utf8))
        #expect(one.estimatedCount == 1)
    }

    /// Dense registers and estimate pinned against an independent computation (reference
    /// XXH64 and Ertl's estimator in Python) for 0..<3000 as Int64 at p = 10.
    @Test func denseRegistersAndEstimateMatchIndependentComputation() {
        var sketch = HyperLogLog(precision: 10)
        for i in 0..<3000 { sketch.add(int64: Int64(i)) }
        #expect(!sketch.isSparse)
        let registers = sketch.denseRegisters()
        #expect(registers.reduce(0) { $0 + Int($1) } == 3033)
        #expect(registers.enumerated().reduce(0) { $0 + Int($1.element) * ($1.offset + 1) } == 1_580_757)
        #expect((sketch.cardinality - 3009.3013279173874).magnitude < 1e-6)
    }

    @Test(arguments: [(300, 3), (3_000, 2), (6_000, 4), (200_000, 3)])
    func mergedPartialsHaveTheSinglePassRegisters(n: Int, parts: Int) {
        let seed = TestSeed.value(default: 0x5EED_0303) &+ UInt64(n)
        var random = SplitMix64(seed: seed)
        var single = HyperLogLog()
        var partials = [HyperLogLog](repeating: HyperLogLog(), count: parts)
        // Skewed split: one partial gets most elements, so sparse meets dense.
        for _ in 0..<n {
            let h = XXHash64.hash(random.next() % UInt64(n))
            single.add(hash: h)
            partials[random.below(4) == 0 ? random.below(parts) : 0].add(hash: h)
        }
        let merged = mergeRandomly(partials, using: &random)
        let sameRegisters = merged.denseRegisters() == single.denseRegisters()
        #expect(sameRegisters, "n \(n), seed \(seed)")
        #expect(merged == single, "n \(n), seed \(seed)")
        #expect(merged.isSparse == single.isSparse, "n \(n), seed \(seed)")
        #expect(merged.cardinality == single.cardinality, "n \(n), seed \(seed)")
        let sameBytes = merged.serialized() == single.serialized()
        #expect(sameBytes, "n \(n), seed \(seed)")
    }

    /// Sketches of different precisions merge to the sketch the lower precision would hold.
    @Test(arguments: [(14, 12, 50_000), (16, 11, 100), (12, 16, 30_000), (18, 10, 2_000), (15, 14, 100_000)])
    func differentPrecisionsMergeByFoldingDown(precisionA: Int, precisionB: Int, n: Int) {
        let seed = TestSeed.value(default: 0x5EED_0304) &+ UInt64(precisionA * 100 + precisionB)
        var random = SplitMix64(seed: seed)
        var a = HyperLogLog(precision: precisionA)
        var b = HyperLogLog(precision: precisionB)
        let p = min(precisionA, precisionB)
        var reference = HyperLogLog(precision: p)
        var finer = HyperLogLog(precision: p)
        for _ in 0..<n {
            let h = XXHash64.hash(random.next())
            if random.below(2) == 0 {
                a.add(hash: h)
                if precisionA > p { finer.add(hash: h) }
            } else {
                b.add(hash: h)
                if precisionB > p { finer.add(hash: h) }
            }
            reference.add(hash: h)
        }
        let ab = a.merging(b)
        let ba = b.merging(a)
        // Compared as Bools: a failure must not print 2^18 registers.
        let sameAB = ab.denseRegisters() == reference.denseRegisters()
        let sameBA = ba.denseRegisters() == reference.denseRegisters()
        #expect(ab.precision == p && ba.precision == p)
        #expect(sameAB && sameBA, "seed \(seed)")
        #expect(ab == reference && ba == reference, "seed \(seed)")
        // Folding the finer sketch alone gives the coarse sketch of its own elements.
        let folded = (precisionA > precisionB ? a : b).folded(toPrecision: p)
        let sameFolded = folded.denseRegisters() == finer.denseRegisters()
        #expect(sameFolded && folded == finer, "seed \(seed)")
    }

    @Test func emptySketchIsTheIdentityWhateverItsPrecision() {
        var a = HyperLogLog(precision: 16)
        for i in 0..<10_000 { a.add(int64: Int64(i)) }
        #expect(HyperLogLog(precision: 10).merging(a) == a)
        #expect(a.merging(HyperLogLog(precision: 10)) == a)
        #expect([a, HyperLogLog(), a].mergedAggregate() == a)
    }
}
