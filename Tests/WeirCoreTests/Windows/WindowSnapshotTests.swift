import Testing
import WeirCore

/// Snapshot-then-restore round trips of the window operator, as a value and as bytes.
struct WindowSnapshotTests {
    typealias Op = WindowOperator<Int, IdSetAggregator>

    static func encodeKey(_ key: Int, _ w: inout WindowSnapshotWriter) { w.write(Int64(key)) }
    static func encodeIds(_ p: ExactDistinctPartial<Int64>, _ w: inout WindowSnapshotWriter) {
        w.write(Int64(p.count))
        for id in p.values.sorted() { w.write(id) }
    }
    static func decodeKey(_ r: inout WindowSnapshotReader) throws(WindowSnapshotDecodingError) -> Int { Int(try r.readInt64()) }
    static func decodeIds(_ r: inout WindowSnapshotReader) throws(WindowSnapshotDecodingError) -> ExactDistinctPartial<Int64> {
        let n = try r.readInt64()
        guard n >= 0 else { throw r.invalidValue() }
        var p = ExactDistinctPartial<Int64>()
        for _ in 0..<n { p.add(try r.readInt64()) }
        return p
    }

    static func describe(_ output: Op.Output) -> [String] {
        (output.emissions.map { e -> String in
            switch e {
            case .upsert(let r): return "\(r.timing) \(r.window) \(r.key) \(r.value.values.sorted())"
            case .retract(let w, let k): return "retract \(w) \(k)"
            }
        } + output.late.map { "late \($0.record.value)" }).sorted()
    }

    /// Random facts: batches, watermark advances and clock ticks.
    static func facts(seed: UInt64, count: Int) -> [WindowFact<Int, Int64>] {
        var random = SplitMix64(seed: seed)
        var facts: [WindowFact<Int, Int64>] = []
        var watermark: Int64 = 0, now: Int64 = 0, id: Int64 = 0
        for _ in 0..<count {
            switch random.below(4) {
            case 0:
                watermark += Int64(random.below(200))
                facts.append(.watermark(watermark))
            case 1:
                now += Int64(random.below(100))
                facts.append(.processingTime(now))
            default:
                let batch = (0..<(1 + random.below(6))).map { _ -> WindowRecord<Int, Int64> in
                    id += 1
                    return WindowRecord(eventTime: watermark + Int64(random.below(600)) - 300, key: random.below(3), value: id)
                }
                facts.append(.records(batch))
            }
        }
        return facts
    }

    @Test(arguments: 0..<4)
    func restoredOperatorContinuesExactlyLikeTheOriginal(kind: Int) {
        let base = TestSeed.value(default: 0x5EED_0730) &+ UInt64(kind) &* 7919
        for i in 0..<30 {
            let seed = base &+ UInt64(i)
            var random = SplitMix64(seed: seed &* 31)
            let spec = RandomWindowRun.spec(kind: kind, using: &random)
            let facts = Self.facts(seed: seed, count: 400)
            let cut = random.below(facts.count)
            var original = Op(spec: spec, aggregator: IdSetAggregator())
            var output = Op.Output()
            for fact in facts[..<cut] { original.handle(fact, into: &output) }
            let viaValue = Op(spec: spec, aggregator: IdSetAggregator(), restoring: original.snapshot())
            let bytes = original.snapshot().encoded(key: Self.encodeKey, partial: Self.encodeIds)
            let decoded: WindowOperatorSnapshot<Int, ExactDistinctPartial<Int64>>
            do {
                decoded = try WindowOperatorSnapshot(decoding: bytes, key: Self.decodeKey, partial: Self.decodeIds)
            } catch {
                Issue.record("seed \(seed): \(error)")
                return
            }
            var viaBytes = Op(spec: spec, aggregator: IdSetAggregator(), restoring: decoded)
            var restored = viaValue
            #expect(restored.openPaneCount == original.openPaneCount, "seed \(seed)")
            #expect(decoded.encoded(key: Self.encodeKey, partial: Self.encodeIds) == bytes, "seed \(seed)")
            #expect(viaBytes.snapshot().panes.count == decoded.panes.count, "seed \(seed)")
            for (n, fact) in facts[cut...].enumerated() {
                var a = Op.Output(), b = Op.Output(), c = Op.Output()
                original.handle(fact, into: &a)
                restored.handle(fact, into: &b)
                viaBytes.handle(fact, into: &c)
                let expected = Self.describe(a)
                #expect(Self.describe(b) == expected, "seed \(seed) \(spec) fact \(cut + n)")
                #expect(Self.describe(c) == expected, "seed \(seed) \(spec) fact \(cut + n)")
            }
            #expect(restored.lateRecordCount == original.lateRecordCount, "seed \(seed)")
        }
    }

    @Test func corruptBytesAreRefusedWithACode() throws {
        var op = Op(spec: try WindowSpec(.tumbling(10), trigger: .periodic(every: 5), allowedLateness: 3), aggregator: IdSetAggregator())
        var output = Op.Output()
        op.process([WindowRecord(eventTime: 4, key: 1, value: 7), WindowRecord(eventTime: 14, key: 2, value: 8)], into: &output)
        op.advanceProcessingTime(to: 1, into: &output)
        let bytes = op.snapshot().encoded(key: Self.encodeKey, partial: Self.encodeIds)
        func code(_ bytes: [UInt8]) -> WindowSnapshotDecodingError.Code? {
            do {
                _ = try WindowOperatorSnapshot(decoding: bytes, key: Self.decodeKey, partial: Self.decodeIds)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(bytes) == nil)
        var flipped = bytes
        flipped[20] ^= 1
        #expect(code(flipped) == .checksumMismatch)
        #expect(code(Array(bytes.prefix(6))) == .truncated)
        var magic = bytes
        magic[0] = 0
        #expect(code(magic) == .badMagic)
        var version = bytes
        version[4] = 9
        #expect(code(version) == .unsupportedVersion)
        let snapshot = try WindowOperatorSnapshot(decoding: bytes, key: Self.decodeKey, partial: Self.decodeIds)
        #expect(snapshot.panes.map(\.key) == [1, 2])
        #expect(snapshot.nextEarlyFiring == 5)
    }

    @Test func driverRestoringAfterEveryBatchEndsWithTheSameTable() {
        let seed = TestSeed.value(default: 0x5EED_0731)
        for kind in 0..<4 {
            var random = SplitMix64(seed: seed &+ UInt64(kind))
            let run = RandomWindowRun(seed: seed &+ UInt64(kind), records: 1_500)
            let spec = RandomWindowRun.spec(kind: kind, using: &random)
            func finalState(restoringEvery: Int?) -> ([WindowRowKey<Int>: Set<Int64>], [Int64]) {
                var driver = WindowTestDriver(
                    spec: spec, aggregator: IdSetAggregator(), policy: run.policy, partitionCount: run.partitionCount,
                    source: InMemorySource(run.batches))
                driver.run(restoringEvery: restoringEvery)
                driver.finish()
                return (driver.sink.rows.mapValues(\.value.values), driver.sink.late.map(\.record.value))
            }
            let plain = finalState(restoringEvery: nil)
            let restored = finalState(restoringEvery: 1)
            #expect(plain.0 == restored.0, "seed \(seed) kind \(kind)")
            #expect(plain.1 == restored.1, "seed \(seed) kind \(kind)")
        }
    }
}
