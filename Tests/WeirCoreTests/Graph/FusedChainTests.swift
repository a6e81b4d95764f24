import Testing
import WeirCore

/// A fused chain gives the same output as applying its steps one by one, batch by batch.
struct FusedChainTests {
    @Test func theFusedChainEqualsTheStepsAppliedOneByOne() throws {
        let seed = TestSeed.value(default: 0x503_0001)
        var random = SplitMix64(seed: seed)
        let b = StreamGraphBuilder(name: "fused")
        let source = b.source("numbers", of: Int.self)
        let tail = source
            .map("double") { $0 &* 2 }
            .filter("not multiple of 3") { $0 % 3 != 0 }
            .flatMap("repeat") { (x: Int, emit: (Int) -> Void) in for i in 0..<(abs(x) % 3) { emit(x &+ i) } }
            .map("describe") { "v\($0)" }
            .filter("short") { $0.count < 6 }
        tail.sink("out")
        let graph = try b.build()
        #expect(graph.fusedChains == [[2, 3, 4, 5, 6]])
        let chain = try #require(tail.fusedChain(from: source))
        #expect(chain.stepNames == ["double", "not multiple of 3", "repeat", "describe", "short"])
        let closure = chain.batchClosure
        var total = 0
        for round in 0..<300 {
            let batch = (0..<random.below(200)).map { _ in Int(random.next() % 2_000) - 1_000 }
            // Step by step, each over the whole batch.
            let doubled = batch.map { $0 &* 2 }
            let kept = doubled.filter { $0 % 3 != 0 }
            let repeated = kept.flatMap { x in (0..<(abs(x) % 3)).map { x &+ $0 } }
            let expected = repeated.map { "v\($0)" }.filter { $0.count < 6 }
            var fused: [String] = ["stale"]
            fused.removeAll(keepingCapacity: true)
            chain.run(batch, into: &fused)
            var viaClosure: [String] = []
            closure(batch, &viaClosure)
            #expect(fused == expected, "round \(round), seed \(seed)")
            #expect(viaClosure == expected, "round \(round), seed \(seed)")
            total += expected.count
        }
        #expect(total > 1_000)
    }

    @Test func chainsStopAtStatefulNodes() throws {
        let b = StreamGraphBuilder(name: "split")
        let source = b.source("numbers", of: Int.self)
        let keyed = source.map("inc") { $0 + 1 }.keyBy("mod") { $0 % 4 }
        let after = keyed.window(.tumbling(size: 1_000)).aggregate("sum", into: Int.self).map("value") { $0.value }
        after.sink("out")
        let graph = try b.build()
        #expect(graph.fusedChains == [[2], [6]])
        #expect(after.fusedChain(from: source) == nil)
        let identity = try #require(source.fusedChain(from: source))
        var out: [Int] = []
        identity.run([1, 2], into: &out)
        #expect(out == [1, 2])
    }
}

extension FusedChainTests {
    /// A fused chain is an operator whose hooks default to doing nothing.
    @Test func aFusedChainIsAStatelessOperator() {
        var op = FusedChain<Int, Int>(name: "square") { x, emit in emit(x * x) }
        var out: [Int] = []
        op.process([1, 2, 3], into: &out)
        op.advanceWatermark(to: 1_000, into: &out)
        op.processingTimeAdvanced(to: 2_000, into: &out)
        #expect(out == [1, 4, 9])
    }
}
