import Testing
import WeirCore

/// count, sum, min, max, avg and exact distinct: merged random splits equal one pass.
struct SimpleAggregatesSketchesTests {
    @Test(arguments: [1, 2, 7])
    func exactPartialsMergeToTheSinglePassResult(parts: Int) {
        let seed = TestSeed.value(default: 0x5EED_0201) &+ UInt64(parts)
        var random = SplitMix64(seed: seed)
        let n = 5_000
        let ints = (0..<n).map { _ in Int64(bitPattern: random.next()) >> Int64(random.below(64)) }
        let users = (0..<n).map { _ in Array("user-\(random.below(800))".utf8) }
        let split = randomSplit(count: n, parts: parts, using: &random)

        var count = CountPartial(), sum = Int64SumPartial(), minimum = MinPartial<Int64>(), maximum = MaxPartial<Int64>()
        var distinct = ExactDistinctPartial<[UInt8]>()
        var countParts = [CountPartial](repeating: .init(), count: parts)
        var sumParts = [Int64SumPartial](repeating: .init(), count: parts)
        var minParts = [MinPartial<Int64>](repeating: .init(), count: parts)
        var maxParts = [MaxPartial<Int64>](repeating: .init(), count: parts)
        var distinctParts = [ExactDistinctPartial<[UInt8]>](repeating: .init(), count: parts)
        for i in 0..<n {
            count.add(); sum.add(ints[i]); minimum.add(ints[i]); maximum.add(ints[i]); distinct.add(users[i])
            let p = split[i]
            countParts[p].add(); sumParts[p].add(ints[i]); minParts[p].add(ints[i]); maxParts[p].add(ints[i])
            distinctParts[p].add(users[i])
        }
        let mergedCount = mergeRandomly(countParts, using: &random)
        let mergedSum = mergeRandomly(sumParts, using: &random)
        let mergedMin = mergeRandomly(minParts, using: &random)
        let mergedMax = mergeRandomly(maxParts, using: &random)
        let mergedDistinct = mergeRandomly(distinctParts, using: &random)
        #expect(mergedCount == count, "seed \(seed)")
        #expect(mergedSum == sum, "seed \(seed)")
        #expect(mergedMin == minimum, "seed \(seed)")
        #expect(mergedMax == maximum, "seed \(seed)")
        #expect(mergedDistinct == distinct, "seed \(seed)")

        #expect(count.count == Int64(n))
        #expect(sum.total == ints.reduce(Int128(0)) { $0 + Int128($1) }, "seed \(seed)")
        #expect(minimum.value == ints.min() && maximum.value == ints.max(), "seed \(seed)")
        #expect(distinct.count == Set(users).count, "seed \(seed)")
        #expect(distinctParts.mergedAggregate().count == Set(users).count, "seed \(seed)")
    }

    @Test func int64SumKeepsTheExactTotalPastOverflow() {
        var sum = Int64SumPartial()
        sum.add(.max)
        sum.add(.max)
        #expect(sum.value == nil)
        #expect(sum.total == 2 * Int128(Int64.max))
        sum.add(.min)
        sum.add(.min)
        #expect(sum.value == -2)
    }

    @Test func doubleSumAndAverageMergeWithinRounding() {
        let seed = TestSeed.value(default: 0x5EED_0202)
        var random = SplitMix64(seed: seed)
        let n = 20_000
        // Wide magnitudes and cancellation: the hard case for plain summation.
        let xs = (0..<n).map { _ in (random.nextUnit() - 0.5) * Double(sign: .plus, exponent: random.below(60) - 20, significand: 1) }
        let split = randomSplit(count: n, parts: 5, using: &random)
        var single = DoubleSumPartial()
        var average = AveragePartial()
        var parts = [DoubleSumPartial](repeating: .init(), count: 5)
        var averageParts = [AveragePartial](repeating: .init(), count: 5)
        for i in 0..<n {
            single.add(xs[i])
            average.add(xs[i])
            parts[split[i]].add(xs[i])
            averageParts[split[i]].add(xs[i])
        }
        let merged = mergeRandomly(parts, using: &random)
        let mergedAverage = mergeRandomly(averageParts, using: &random)
        let magnitude = xs.reduce(0) { $0 + $1.magnitude }
        // Tolerance: a few ulps of the sum of magnitudes.
        let tolerance = 4 * magnitude.ulp
        #expect((merged.value - single.value).magnitude <= tolerance, "\(merged.value) vs \(single.value), seed \(seed)")
        #expect(mergedAverage.count == Int64(n))
        #expect((mergedAverage.average! - average.average!).magnitude <= tolerance / Double(n), "seed \(seed)")
        #expect(AveragePartial().average == nil)
    }

    @Test func minAndMaxIgnoreNaN() {
        var minimum = MinPartial<Double>()
        var maximum = MaxPartial<Double>()
        for x in [Double.nan, 3, .nan, -2, 7, .nan] {
            minimum.add(x)
            maximum.add(x)
        }
        #expect(minimum.value == -2)
        #expect(maximum.value == 7)
        #expect(MinPartial<Double>().value == nil)
    }
}
