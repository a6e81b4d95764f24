import Foundation
import Testing
import WeirCore

/// The stream-table join against a naive reference that replays the same changelog order
/// into a dictionary, with a snapshot-then-restore round trip in the middle of every run.
struct StreamTableJoinPropertyTests {
    typealias Join = StreamTableJoin<Int, Int, String>
    typealias Result = StreamTableJoinResult<Int, Int, String>

    /// Runs one seed in `mode`; returns a description of the first difference, or nil.
    static func check(seed: UInt64, mode: StreamTableJoinMode, steps: Int) -> String? {
        var random = SplitMix64(seed: seed)
        let keys = 1 + random.below(50)
        var join = Join(mode: mode)
        var reference: [Int: String] = [:]
        var output: [Result] = []
        var expected: [Result] = []
        var unmatched = 0
        var id = 0
        let restoreAt = random.below(steps)
        for step in 0..<steps {
            if step == restoreAt {
                let snapshot = join.snapshot()
                let bytes: Data
                do {
                    bytes = try JSONEncoder().encode(snapshot)
                    let decoded = try JSONDecoder().decode(ChangelogTableSnapshot<Int, String>.self, from: bytes)
                    join = try Join(mode: mode, restoring: decoded)
                } catch {
                    return "snapshot round trip failed at step \(step): \(error)"
                }
                if join.table.count != reference.count { return "restored \(join.table.count) rows, expected \(reference.count)" }
                unmatched = 0  // counters are per instance
            }
            let size = 1 + random.below(20)
            if random.below(2) == 0 {
                var batch: [ChangelogRecord<Int, String>] = []
                for _ in 0..<size {
                    let key = random.below(keys)
                    let value: String? = random.below(4) == 0 ? nil : "v\(id)"
                    id += 1
                    batch.append(ChangelogRecord(key: key, value: value))
                    reference[key] = value
                }
                join.applyChangelog(batch)
            } else {
                var batch: [JoinRecord<Int, Int>] = []
                for _ in 0..<size {
                    let record = JoinRecord(key: random.below(keys), timestamp: Int64(random.below(1_000_000)), value: id)
                    id += 1
                    batch.append(record)
                    let row = reference[record.key]
                    if row != nil || mode == .leftOuter {
                        expected.append(Result(key: record.key, timestamp: record.timestamp, value: record.value, tableValue: row))
                    } else {
                        unmatched += 1
                    }
                }
                join.processStream(batch, into: &output)
            }
        }
        if output != expected {
            let index = zip(output, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(output.count, expected.count)
            return "\(output.count) results, expected \(expected.count); first difference at \(index)"
        }
        if join.unmatchedCount != unmatched { return "unmatched \(join.unmatchedCount), expected \(unmatched)" }
        if join.table.count != reference.count { return "\(join.table.count) rows, expected \(reference.count)" }
        for (key, value) in reference where join.table[key] != value { return "row \(key) is \(join.table[key] ?? "nil"), expected \(value)" }
        return nil
    }

    static let seedCount = 200
    static let stepsPerSeed = 200

    @Test(arguments: StreamTableJoinMode.allCases)
    func matchesTheReplayedChangelog(mode: StreamTableJoinMode) {
        let base = TestSeed.value(default: 0x502_0001)
        for i in 0..<UInt64(Self.seedCount) {
            let seed = base &+ i
            if let failure = Self.check(seed: seed, mode: mode, steps: Self.stepsPerSeed) {
                Issue.record("seed \(seed), \(mode): \(failure)")
                return
            }
        }
    }
}
