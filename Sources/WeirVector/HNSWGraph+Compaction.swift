/// Removing tombstones for good: first every live node that links to a tombstone gets a new
/// neighbor list (its live links, plus the live links of the tombstones it pointed to, plus a
/// graph search when that leaves too few, re-chosen with the heuristic), then the dead slots
/// are dropped and the live ones renumbered densely in their old order.
extension HNSWGraph {
    /// Repairs the links around tombstones and drops the tombstoned slots.
    ///
    /// - Complexity: O(n * m0 * d) to scan plus, per list touching a tombstone,
    ///   O(m0^2 * d) candidates and the heuristic; O(n * (d + m0)) to renumber.
    func compact() {
        guard tombstoneCount > 0 else { return }
        guard liveCount > 0 else {
            removeAllSlots()
            return
        }
        repairLinksAroundTombstones()
        dropTombstones()
    }

    private func repairLinksAroundTombstones() {
        let g = view
        var pool: [Candidate] = []
        for s in 0..<slotCount where tombstones[s] == 0 {
            let slot = Int32(s)
            for level in 0...Int(levels[s]) {
                let list = g.links(slot, level)
                let n = Int(list[0])
                var touchesTombstone = false
                for j in 1..<(n + 1) where g.isTombstone(list[j]) {
                    touchesTombstone = true
                    break
                }
                guard touchesTombstone else { continue }
                collectRepairCandidates(g, slot: slot, level: level, into: &pool)
                pool.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.slot < $1.slot) }
                let limit = level == 0 ? m0 : m
                let kept = pool.withUnsafeMutableBufferPointer { buffer in
                    Self.selectNeighbors(g, buffer.baseAddress!, count: buffer.count, limit: limit)
                }
                for j in 0..<kept { list[1 + j] = pool[j].slot }
                list[0] = Int32(kept)
            }
        }
    }

    /// Live candidates for `slot`'s new list on `level`: its live links, the live links of
    /// its tombstoned links, and, when that gives fewer than `m`, the result of a search.
    private func collectRepairCandidates(_ g: GraphView, slot: Int32, level: Int, into pool: inout [Candidate]) {
        pool.removeAll(keepingCapacity: true)
        let v = UnsafePointer(g.vector(slot))
        let stamp = writer.beginVisit(slots: slotCount)
        let visited = writer.visited
        visited[Int(slot)] = stamp
        func consider(_ other: Int32) {
            guard visited[Int(other)] != stamp else { return }
            visited[Int(other)] = stamp
            if !g.isTombstone(other) { pool.append(Candidate(distance: g.distance(v, other), slot: other)) }
        }
        let list = g.links(slot, level)
        for j in 1..<(Int(list[0]) + 1) {
            let neighbor = list[j]
            if g.isTombstone(neighbor) {
                visited[Int(neighbor)] = stamp
                let second = g.links(neighbor, level)
                for k in 1..<(Int(second[0]) + 1) { consider(second[k]) }
            } else {
                consider(neighbor)
            }
        }
        guard pool.count < m else { return }
        // Too few left nearby: find neighbors the way an insert would.
        var entry = Candidate(distance: g.distance(v, entryPoint), slot: entryPoint)
        if maxLevel > level {
            entry = Self.greedyDescent(g, v, from: entry.slot, distance: entry.distance, top: maxLevel, bottom: level)
        }
        Self.searchLevel(
            g, v, entry: entry, ef: efConstruction, level: level, skipTombstones: true, filter: nil, metadata: [],
            slotCount: slotCount, scratch: writer)
        let found = writer.drainResults()
        for i in 0..<found {
            let candidate = writer.sorted[i]
            if candidate.slot != slot && !pool.contains(where: { $0.slot == candidate.slot }) {
                pool.append(candidate)
            }
        }
    }

    /// Moves live slots down over the dead ones (order kept) and rewrites every link.
    private func dropTombstones() {
        var renumbered = [Int32](repeating: -1, count: slotCount)
        var next: Int32 = 0
        for s in 0..<slotCount where tombstones[s] == 0 {
            renumbered[s] = next
            next += 1
        }
        // The entry point stays if it is live; else the first live slot of the highest level.
        var newEntry: Int32 = -1
        var newMaxLevel = -1
        let keepsEntry = tombstones[Int(entryPoint)] == 0
        var upperCursor = 0
        var newIDs: [String] = []
        var newMetadata: [[String: String]] = []
        newIDs.reserveCapacity(Int(next))
        newMetadata.reserveCapacity(Int(next))
        slotsByID.removeAll(keepingCapacity: true)

        func remap(_ list: UnsafeMutablePointer<Int32>, from source: UnsafeMutablePointer<Int32>) {
            let n = Int(source[0])
            var kept: Int32 = 0
            for j in 1..<(n + 1) {
                let target = renumbered[Int(source[j])]
                if target >= 0 {
                    kept += 1
                    list[Int(kept)] = target
                }
            }
            list[0] = kept
        }

        let g = view
        for s in 0..<slotCount where tombstones[s] == 0 {
            let t = Int(renumbered[s])
            if t != s {
                g.node(Int32(t)).copyMemory(from: g.node(Int32(s)), byteCount: linksOffset)
            }
            let level = Int(levels[s])
            levels[t] = UInt8(level)
            tombstones[t] = 0
            remap(g.links(Int32(t), 0), from: g.links(Int32(s), 0))
            if level > 0 {
                let source = upperOffsets[s]
                for l in 0..<level {
                    remap(upper + upperCursor + l * upperStride, from: upper + source + l * upperStride)
                }
                upperOffsets[t] = upperCursor
                upperCursor += level * upperStride
            } else {
                upperOffsets[t] = -1
            }
            if level > newMaxLevel {
                newEntry = Int32(t)
                newMaxLevel = level
            }
            newIDs.append(ids[s])
            newMetadata.append(metadata[s])
            slotsByID[ids[s]] = Int32(t)
        }
        if keepsEntry {
            newEntry = renumbered[Int(entryPoint)]
            newMaxLevel = maxLevel
        }
        slotCount = Int(next)
        upperCount = upperCursor
        ids = newIDs
        metadata = newMetadata
        tombstoneCount = 0
        entryPoint = newEntry
        maxLevel = newMaxLevel
    }
}
