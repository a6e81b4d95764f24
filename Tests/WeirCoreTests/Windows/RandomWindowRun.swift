import WeirCore

/// Aggregates record ids into an exact set, so a comparison with the reference checks
/// exactly which records each window holds.
struct IdSetAggregator: WindowAggregator {
    func add(_ input: Int64, to partial: inout ExactDistinctPartial<Int64>) { partial.add(input) }
}

/// A random, out-of-order input over several partitions: batches of records whose value is
/// a unique record id, some partitions falling silent long enough to go idle, some
/// records far behind the others.
struct RandomWindowRun {
    var seed: UInt64
    var partitionCount: Int
    var policy: WatermarkPolicy
    var batches: [SourceBatch<Int, Int64>]

    var recordCount: Int { batches.reduce(0) { $0 + $1.records.count } }

    init(seed: UInt64, records: Int) {
        self.seed = seed
        var random = SplitMix64(seed: seed)
        partitionCount = 1 + random.below(4)
        let bound = Int64(random.below(4)) * 100
        let idle: Int64? = random.below(3) == 0 ? nil : Int64(200 + random.below(800))
        policy = try! WatermarkPolicy(outOfOrderness: bound, idleTimeout: idle)
        let keys = 1 + random.below(6)
        var base = [Int64](repeating: 10_000, count: partitionCount)
        var now: Int64 = 0
        var silentUntil = [Int64](repeating: 0, count: partitionCount)
        var id: Int64 = 0
        batches = []
        while id < Int64(records) {
            now += Int64(random.below(60))
            let p = random.below(partitionCount)
            if random.below(40) == 0 { silentUntil[p] = now + Int64(random.below(3000)) }
            if now < silentUntil[p] || random.below(12) == 0 {
                batches.append(SourceBatch(partition: p, arrival: now, records: []))
                continue
            }
            var batch: [WindowRecord<Int, Int64>] = []
            for _ in 0..<(1 + random.below(8)) {
                base[p] += Int64(random.below(40))
                var t = base[p] - Int64(random.below(Int(bound) + 60))
                if random.below(20) == 0 { t -= Int64(random.below(3000)) }  // far behind
                batch.append(WindowRecord(eventTime: t, key: random.below(keys), value: id))
                id += 1
            }
            batches.append(SourceBatch(partition: p, arrival: now, records: batch))
        }
    }

    /// A random window spec of the given kind (0 tumbling, 1 hopping, 2 session, 3 cumulative).
    static func spec(kind: Int, using random: inout SplitMix64) -> WindowSpec {
        let assigner: WindowAssigner
        switch kind {
        case 0: assigner = try! .tumbling(Int64(100 + random.below(1500)))
        case 1:
            let slide = Int64(50 + random.below(400))
            assigner = try! .hopping(slide * Int64(1 + random.below(5)), slide: slide)
        case 2: assigner = try! .session(Int64(20 + random.below(400)))
        default:
            let step = Int64(50 + random.below(400))
            assigner = try! .cumulative(step * Int64(1 + random.below(6)), step: step)
        }
        let trigger: WindowTrigger
        switch random.below(3) {
        case 0: trigger = .onWatermark
        case 1: trigger = try! .periodic(every: Int64(20 + random.below(300)))
        default: trigger = .everyUpdate
        }
        let lateness = random.below(2) == 0 ? 0 : Int64(random.below(800))
        return try! WindowSpec(assigner, trigger: trigger, allowedLateness: lateness)
    }
}

/// The naive reference: replays the watermark from first principles, then recomputes
/// every window from the full list of accepted records.
struct WindowReference {
    /// The watermark each batch's records are judged against.
    var watermarkAtBatch: [Int64] = []
    /// Record ids per (window, key).
    var table: [WindowRowKey<Int>: Set<Int64>] = [:]
    /// Ids of the refused records, in order.
    var late: [Int64] = []

    init(run: RandomWindowRun, spec: WindowSpec) {
        // Watermarks, straight from the definition.
        var maxSeen = [Int64?](repeating: nil, count: run.partitionCount)
        var lastActive = [Int64](repeating: 0, count: run.partitionCount)
        var idle = [Bool](repeating: false, count: run.partitionCount)
        var watermark = Int64.min
        var now: Int64 = 0
        func recompute() {
            let active = (0..<run.partitionCount).filter { !idle[$0] }
            guard !active.isEmpty else { return }
            let m = active.map { maxSeen[$0].map { $0 - run.policy.outOfOrderness } ?? .min }.min()!
            watermark = max(watermark, m)
        }
        var accepted: [(record: WindowRecord<Int, Int64>, watermark: Int64)] = []
        for batch in run.batches {
            now = max(now, batch.arrival)
            if let timeout = run.policy.idleTimeout {
                for p in 0..<run.partitionCount where now - lastActive[p] >= timeout { idle[p] = true }
            }
            recompute()
            watermarkAtBatch.append(watermark)
            for r in batch.records {
                if Self.isLate(r.eventTime, watermark: watermark, spec: spec) { late.append(r.value) } else { accepted.append((r, watermark)) }
            }
            if !batch.records.isEmpty {
                let p = batch.partition
                idle[p] = false
                lastActive[p] = now
                let m = batch.records.map(\.eventTime).max()!
                maxSeen[p] = max(maxSeen[p] ?? m, m)
                recompute()
            }
        }
        // Windows, recomputed from the accepted records.
        if case .session(let gap) = spec.assigner {
            var byKey: [Int: [WindowRecord<Int, Int64>]] = [:]
            for a in accepted { byKey[a.record.key, default: []].append(a.record) }
            for (key, records) in byKey {
                let sorted = records.sorted { $0.eventTime < $1.eventTime }
                var start = sorted[0].eventTime, last = start
                var ids: Set<Int64> = []
                for r in sorted {
                    if r.eventTime - last >= gap {
                        table[WindowRowKey(window: Window(start: start, end: last + gap), key: key)] = ids
                        start = r.eventTime
                        ids = []
                    }
                    last = r.eventTime
                    ids.insert(r.value)
                }
                table[WindowRowKey(window: Window(start: start, end: last + gap), key: key)] = ids
            }
        } else {
            for a in accepted {
                for w in Self.windows(containing: a.record.eventTime, spec.assigner)
                where w.end + spec.allowedLateness > a.watermark {
                    table[WindowRowKey(window: w, key: a.record.key), default: []].insert(a.record.value)
                }
            }
        }
    }

    static func isLate(_ t: Int64, watermark: Int64, spec: WindowSpec) -> Bool {
        if case .session = spec.assigner { return t + spec.allowedLateness < watermark }
        return windows(containing: t, spec.assigner).allSatisfy { $0.end + spec.allowedLateness <= watermark }
    }

    /// Windows containing `t`, by brute force over candidate starts.
    static func windows(containing t: Int64, _ assigner: WindowAssigner) -> [Window] {
        func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
        switch assigner {
        case .tumbling(let size):
            return [Window(start: floorDiv(t, size) * size, end: floorDiv(t, size) * size + size)]
        case .hopping(let size, let slide):
            var result: [Window] = []
            var k = floorDiv(t - size, slide)
            while k * slide <= t {
                let w = Window(start: k * slide, end: k * slide + size)
                if w.start <= t && t < w.end { result.append(w) }
                k += 1
            }
            return result
        case .cumulative(let size, let step):
            let start = floorDiv(t, size) * size
            return (1...(size / step)).map { Window(start: start, end: start + $0 * step) }.filter { t < $0.end }
        case .session(let gap):
            return [Window(start: t, end: t + gap)]
        }
    }
}
