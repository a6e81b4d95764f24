import Testing
import WeirCore

/// The assigner's windows against brute force, including negative event times.
struct WindowAssignerTests {
    @Test func windowsMatchBruteForce() {
        let seed = TestSeed.value(default: 0x5EED_0720)
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let kind = random.below(4)
            let spec = RandomWindowRun.spec(kind: kind, using: &random)
            let t = Int64(random.below(200_000)) - 100_000
            let got = spec.assigner.windows(containing: t)
            let want = WindowReference.windows(containing: t, spec.assigner)
            #expect(Set(got) == Set(want) && got.count == want.count, "seed \(seed) \(spec.assigner) t \(t)")
            #expect(got.allSatisfy { $0.contains(t) }, "seed \(seed) \(spec.assigner) t \(t)")
            #expect(spec.assigner.latestEnd(containing: t) == want.map(\.end).max(), "seed \(seed) \(spec.assigner) t \(t)")
            #expect(got == got.sorted { $0.end > $1.end }, "latest end first: seed \(seed)")
        }
    }

    @Test func examples() {
        #expect(try! WindowAssigner.tumbling(10).windows(containing: -1) == [Window(start: -10, end: 0)])
        #expect(try! WindowAssigner.hopping(10, slide: 5).windows(containing: 5) == [Window(start: 5, end: 15), Window(start: 0, end: 10)])
        #expect(try! WindowAssigner.cumulative(86_400_000, step: 3_600_000).windows(containing: 3_600_000).count == 23)
        #expect(try! WindowAssigner.session(30).windows(containing: 7) == [Window(start: 7, end: 37)])
    }
}
