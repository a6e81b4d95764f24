import Testing
import WeirCore

/// Every window kind against the naive reference, on random out-of-order inputs: the
/// final upsert table and the late output must match exactly, whatever the trigger, and
/// whether or not the run is snapshotted and restored along the way.
struct WindowPropertyTests {
    static let seedsPerKind = 40
    static let recordsPerRun = 2_000

    @Test(arguments: [(0, "tumbling"), (1, "hopping"), (2, "session"), (3, "cumulative")])
    func engineMatchesTheNaiveReference(kind: Int, name: String) {
        let base = TestSeed.value(default: 0x5EED_0700) &+ UInt64(kind) &* 1_000_003
        var totals = (records: 0, late: 0, rows: 0, retractions: 0, early: 0, lateFirings: 0, restores: 0)
        for i in 0..<Self.seedsPerKind {
            let seed = base &+ UInt64(i)
            var random = SplitMix64(seed: seed)
            let run = RandomWindowRun(seed: seed, records: Self.recordsPerRun)
            let spec = RandomWindowRun.spec(kind: kind, using: &random)
            let restoreEvery: Int? = random.below(2) == 0 ? nil : 1 + random.below(50)
            let context = "\(name) seed \(seed) spec \(spec) policy \(run.policy) restore \(String(describing: restoreEvery))"

            var driver = WindowTestDriver(
                spec: spec, aggregator: IdSetAggregator(), policy: run.policy, partitionCount: run.partitionCount,
                source: InMemorySource(run.batches))
            driver.run(restoringEvery: restoreEvery)
            driver.finish()
            let reference = WindowReference(run: run, spec: spec)

            #expect(driver.watermarkAtBatch == reference.watermarkAtBatch, "watermarks differ: \(context)")
            #expect(driver.sink.late.map(\.record.value) == reference.late, "late output differs: \(context)")
            #expect(driver.window.lateRecordCount == reference.late.count, "late count differs: \(context)")
            #expect(driver.sink.retractionsOfMissingRows == 0, "retraction of a missing row: \(context)")
            let table = driver.sink.rows.mapValues(\.value.values)
            if table != reference.table {
                let missing = reference.table.keys.filter { table[$0] == nil }.sorted { $0.window < $1.window }.prefix(3)
                let extra = table.keys.filter { reference.table[$0] == nil }.sorted { $0.window < $1.window }.prefix(3)
                let wrong = table.keys.filter { reference.table[$0] != nil && reference.table[$0] != table[$0] }.prefix(3)
                Issue.record("tables differ: \(context); missing \(Array(missing)), extra \(Array(extra)), wrong \(Array(wrong))")
                return
            }
            totals.records += run.recordCount
            totals.late += reference.late.count
            totals.rows += table.count
            totals.restores += driver.restores
            for emission in driver.sink.log {
                switch emission {
                case .retract: totals.retractions += 1
                case .upsert(let r) where r.timing == .early: totals.early += 1
                case .upsert(let r) where r.timing == .late: totals.lateFirings += 1
                case .upsert: break
                }
            }
            let finalTimings = driver.sink.rows.values.filter { $0.timing == .early }
            #expect(finalTimings.isEmpty, "a final row is an early firing: \(context)")
            #expect(driver.window.openPaneCount == 0, "state left after the end: \(context)")
        }
        // The inputs must exercise what is compared: late records, early and late
        // firings, restores, and (for sessions) retractions after merges.
        print("\(name): \(totals)")
        #expect(totals.late > 0 && totals.rows > 0 && totals.early > 0 && totals.lateFirings > 0 && totals.restores > 0, "\(name) \(totals)")
        #expect(!name.hasPrefix("session") || totals.retractions > 0, "\(name) \(totals)")
    }
}
