/// The snapshot payload of a graph: configuration, generator state, levels, tombstones,
/// vectors, neighbor lists, ids and metadata, all little-endian. Decoding checks every link and
/// offset, so a loaded graph can never index outside its buffers.
extension HNSWGraph {
    static func metricCode(_ metric: VectorMetric) -> UInt8 {
        switch metric {
        case .cosine: return 0
        case .l2: return 1
        case .innerProduct: return 2
        }
    }

    /// Writes the payload.
    ///
    /// - Complexity: O(n * (d + m0) + metadata size).
    func encode(into w: inout SnapshotWriter, configuration: HNSWConfiguration) {
        w.u32(UInt32(dimension))
        w.u8(Self.metricCode(metric))
        w.u32(UInt32(m))
        w.u32(UInt32(efConstruction))
        w.u32(UInt32(configuration.efSearch))
        w.u64(configuration.seed)
        w.u64(configuration.maxTombstoneFraction.bitPattern)
        w.u64(rng.state)
        w.u32(UInt32(slotCount))
        w.u32(UInt32(tombstoneCount))
        w.i32(entryPoint)
        w.i32(Int32(maxLevel))
        var upperWords = 0
        for s in 0..<slotCount { upperWords += Int(levels[s]) * upperStride }
        w.u64(UInt64(upperWords))
        w.rawBytes(levels, count: slotCount)
        w.rawBytes(tombstones, count: slotCount)
        let g = view
        for s in 0..<slotCount { w.words(g.vector(Int32(s)), count: dimension) }
        for s in 0..<slotCount { Self.writeList(g.links(Int32(s), 0), limit: m0, into: &w) }
        // Upper lists are written densely in slot order; the offsets describe that layout.
        var offset = 0
        for s in 0..<slotCount {
            let level = Int(levels[s])
            w.i64(level == 0 ? -1 : Int64(offset))
            offset += level * upperStride
        }
        for s in 0..<slotCount {
            for level in stride(from: 1, through: Int(levels[s]), by: 1) {
                Self.writeList(g.links(Int32(s), level), limit: m, into: &w)
            }
        }
        for s in 0..<slotCount { w.string(ids[s]) }
        for s in 0..<slotCount {
            let entries = metadata[s].sorted { $0.key < $1.key }
            w.u32(UInt32(entries.count))
            for (key, value) in entries {
                w.string(key)
                w.string(value)
            }
        }
    }

    /// Writes a neighbor list as `1 + limit` words: the count, the links, zeros for the unused
    /// room (which may hold stale links), so equal graphs give equal bytes.
    private static func writeList(_ list: UnsafeMutablePointer<Int32>, limit: Int, into w: inout SnapshotWriter) {
        let n = Int(list[0])
        w.words(list, count: 1 + n)
        for _ in n..<limit { w.u32(0) }
    }

    /// Reads a payload written by `encode` and checks its structure.
    ///
    /// - Complexity: O(n * (d + m0) + metadata size).
    static func decode(_ r: inout SnapshotReader) throws(VectorError) -> (HNSWConfiguration, HNSWGraph) {
        let dimension = Int(try r.u32("dimension"))
        let metric: VectorMetric
        switch try r.u8("metric") {
        case 0: metric = .cosine
        case 1: metric = .l2
        case 2: metric = .innerProduct
        case let other: throw r.corrupt("unknown metric code \(other)")
        }
        let m = Int(try r.u32("m"))
        let efConstruction = Int(try r.u32("efConstruction"))
        let efSearch = Int(try r.u32("efSearch"))
        let seed = try r.u64("seed")
        let fraction = Double(bitPattern: try r.u64("maxTombstoneFraction"))
        let rngState = try r.u64("generator state")
        let configuration = HNSWConfiguration(
            dimension: dimension, metric: metric, m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed,
            maxTombstoneFraction: fraction)
        do {
            try configuration.validate()
        } catch {
            throw r.corrupt("invalid configuration: \(error.message)")
        }
        let graph = HNSWGraph(configuration: configuration, rngState: rngState)

        let slotCount = Int(try r.u32("slot count"))
        let tombstoneCount = Int(try r.u32("tombstone count"))
        let entryPoint = try r.i32("entry point")
        let maxLevel = Int(try r.i32("max level"))
        let upperCount64 = try r.u64("upper link count")
        let perSlot = 2 + 4 * (dimension + 1 + graph.m0) + 8 + 4 + 4
        guard slotCount <= r.remaining / perSlot, upperCount64 <= UInt64(r.remaining / 4) else {
            throw r.corrupt("declared sizes exceed the snapshot (\(slotCount) slots, \(upperCount64) upper links)")
        }
        let upperCount = Int(upperCount64)
        graph.reserve(slotCount)
        graph.reserveUpper(upperCount)
        try r.bytes(into: graph.levels, count: slotCount, "levels")
        try r.bytes(into: graph.tombstones, count: slotCount, "tombstones")
        let g = graph.view
        for s in 0..<slotCount { try r.words(into: g.vector(Int32(s)), count: dimension, "vectors") }
        for s in 0..<slotCount { try r.words(into: g.links(Int32(s), 0), count: 1 + graph.m0, "level-0 links") }
        for s in 0..<slotCount { graph.upperOffsets[s] = Int(try r.i64("upper offsets")) }
        try r.words(into: graph.upper, count: upperCount, "upper links")
        graph.slotCount = slotCount
        graph.upperCount = upperCount
        graph.entryPoint = entryPoint
        graph.maxLevel = maxLevel
        graph.tombstoneCount = tombstoneCount
        graph.ids.reserveCapacity(slotCount)
        for _ in 0..<slotCount { graph.ids.append(try r.string("ids")) }
        for _ in 0..<slotCount {
            let count = Int(try r.u32("metadata count"))
            guard count <= r.remaining / 8 else { throw r.corrupt("metadata count \(count) exceeds the snapshot") }
            var entries: [String: String] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let key = try r.string("metadata key")
                entries[key] = try r.string("metadata value")
            }
            graph.metadata.append(entries)
        }
        guard r.remaining == 0 else { throw r.corrupt("\(r.remaining) unexpected bytes after the payload") }
        try graph.checkStructure(offset: r.offset)
        return (configuration, graph)
    }

    /// Checks that every level, offset and link of a decoded graph is in range, and rebuilds
    /// the id map.
    private func checkStructure(offset: Int) throws(VectorError) {
        func corrupt(_ message: String) -> VectorError { VectorError(.snapshotCorrupt, message, offset: offset) }
        var dead = 0
        for s in 0..<slotCount {
            let level = Int(levels[s])
            guard level <= Self.maxLevelCap else { throw corrupt("slot \(s) has level \(level)") }
            switch tombstones[s] {
            case 0: break
            case 1: dead += 1
            default: throw corrupt("slot \(s) has tombstone flag \(tombstones[s])")
            }
            if level == 0 {
                guard upperOffsets[s] == -1 else { throw corrupt("level-0 slot \(s) has upper links") }
            } else {
                let start = upperOffsets[s]
                guard start >= 0, start <= upperCount - level * upperStride else {
                    throw corrupt("slot \(s) has upper offset \(start) outside \(upperCount)")
                }
            }
        }
        guard dead == tombstoneCount else { throw corrupt("tombstone count \(tombstoneCount) but \(dead) flags") }
        let g = view
        for s in 0..<slotCount {
            for level in 0...Int(levels[s]) {
                let list = g.links(Int32(s), level)
                let n = Int(list[0])
                guard n >= 0, n <= (level == 0 ? m0 : m) else { throw corrupt("slot \(s) has \(n) links on level \(level)") }
                for j in 1..<(n + 1) {
                    let target = Int(list[j])
                    guard target >= 0, target < slotCount, Int(levels[target]) >= level else {
                        throw corrupt("slot \(s) links to \(target) on level \(level)")
                    }
                }
            }
        }
        if slotCount == 0 {
            guard entryPoint == -1, maxLevel == -1 else { throw corrupt("empty graph with an entry point") }
        } else {
            guard entryPoint >= 0, Int(entryPoint) < slotCount, Int(levels[Int(entryPoint)]) == maxLevel else {
                throw corrupt("entry point \(entryPoint) at level \(maxLevel) is not a slot of that level")
            }
        }
        slotsByID.removeAll(keepingCapacity: true)
        for s in 0..<slotCount where tombstones[s] == 0 {
            guard slotsByID.updateValue(Int32(s), forKey: ids[s]) == nil else {
                throw corrupt("id \(ids[s]) is live in two slots")
            }
        }
    }
}
