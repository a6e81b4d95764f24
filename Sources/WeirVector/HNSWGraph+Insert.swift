/// Inserting into the graph: the paper's Algorithm 1 with the neighbor-selection heuristic of
/// Algorithm 4 (keep a candidate only if it is closer to the new node than to every neighbor
/// already kept), both for the new node's lists and when a full list must shrink.
extension HNSWGraph {
    /// Adds a new slot for `vector` (already validated and, for cosine, normalized) and links
    /// it into every level up to its random level. Returns the new slot.
    ///
    /// - Complexity: about O(efConstruction * m0 * d * log n) distance work, plus
    ///   O(m * m0^2 * d) for the neighbor lists that must shrink.
    @discardableResult
    func insertSlot(id: String, vector: UnsafePointer<Float>, metadata: [String: String]) -> Int32 {
        reserve(slotCount + 1)
        let slot = Int32(slotCount)
        let s = slotCount
        let level = randomLevel()
        if level > 0 {
            reserveUpper(upperCount + level * upperStride)
            upperOffsets[s] = upperCount
            for l in 0..<level { upper[upperCount + l * upperStride] = 0 }
            upperCount += level * upperStride
        } else {
            upperOffsets[s] = -1
        }
        let node = view
        node.vector(slot).update(from: vector, count: dimension)
        node.links(slot, 0)[0] = 0
        levels[s] = UInt8(level)
        tombstones[s] = 0
        ids.append(id)
        self.metadata.append(metadata)
        slotsByID[id] = slot
        slotCount += 1

        guard entryPoint >= 0 else {
            entryPoint = slot
            maxLevel = level
            return slot
        }
        let g = view
        let query = UnsafePointer(g.vector(slot))
        var entry = Candidate(distance: g.distance(query, entryPoint), slot: entryPoint)
        if maxLevel > level {
            entry = Self.greedyDescent(g, query, from: entry.slot, distance: entry.distance, top: maxLevel, bottom: level)
        }
        let skipTombstones = tombstoneCount > 0
        var l = min(level, maxLevel)
        while l >= 0 {
            // New links go to live nodes only; if the search reaches none (every node nearby is
            // a tombstone), link through the tombstones so the new node stays reachable until
            // compaction repairs them.
            Self.searchLevel(
                g, query, entry: entry, ef: efConstruction, level: l, skipTombstones: skipTombstones, filter: nil,
                metadata: [], slotCount: slotCount, scratch: writer)
            var found = writer.drainResults()
            if found == 0 && skipTombstones {
                Self.searchLevel(
                    g, query, entry: entry, ef: efConstruction, level: l, skipTombstones: false, filter: nil,
                    metadata: [], slotCount: slotCount, scratch: writer)
                found = writer.drainResults()
            }
            let sorted = writer.sorted
            if found > 0 { entry = sorted[0] }
            let kept = Self.selectNeighbors(g, sorted, count: found, limit: m)
            let own = g.links(slot, l)
            for i in 0..<kept { own[1 + i] = sorted[i].slot }
            own[0] = Int32(kept)
            for i in 0..<kept {
                link(g, from: sorted[i].slot, to: slot, distance: sorted[i].distance, level: l)
            }
            l -= 1
        }
        if level > maxLevel {
            entryPoint = slot
            maxLevel = level
        }
        return slot
    }

    /// The heuristic of Algorithm 4 (without extending candidates or keeping pruned ones):
    /// walks `candidates` in ascending distance and keeps one only when it is closer to the
    /// base node than to every candidate kept so far. Kept candidates move to the front, in
    /// order; returns how many. Fewer than `limit` candidates are all kept.
    ///
    /// - Complexity: O(count * limit * d).
    @inline(__always)
    static func selectNeighbors(
        _ g: GraphView, _ candidates: UnsafeMutablePointer<Candidate>, count: Int, limit: Int
    ) -> Int {
        if count <= limit { return count }
        var kept = 0
        var i = 0
        while i < count && kept < limit {
            let candidate = candidates[i]
            let v = UnsafePointer(g.vector(candidate.slot))
            var good = true
            var j = 0
            while j < kept {
                if g.distance(v, candidates[j].slot) < candidate.distance {
                    good = false
                    break
                }
                j &+= 1
            }
            if good {
                candidates[kept] = candidate
                kept &+= 1
            }
            i &+= 1
        }
        return kept
    }

    /// Adds `target` to `node`'s list on `level`; a full list is re-chosen with the heuristic
    /// from its links plus `target`.
    ///
    /// - Complexity: O(1) with room; O(m0^2 * d) when the list is full.
    func link(_ g: GraphView, from node: Int32, to target: Int32, distance: Float, level: Int) {
        let list = g.links(node, level)
        let limit = level == 0 ? m0 : m
        let n = Int(list[0])
        if n < limit {
            list[1 + n] = target
            list[0] = Int32(n + 1)
            return
        }
        let buffer = pruneBuffer
        let v = UnsafePointer(g.vector(node))
        for j in 0..<n {
            let other = list[1 + j]
            buffer[j] = Candidate(distance: g.distance(v, other), slot: other)
        }
        buffer[n] = Candidate(distance: distance, slot: target)
        Self.insertionSort(buffer, count: n + 1)
        let kept = Self.selectNeighbors(g, buffer, count: n + 1, limit: limit)
        for j in 0..<kept { list[1 + j] = buffer[j].slot }
        list[0] = Int32(kept)
    }

    /// Sorts a short run of candidates by ascending distance (ties by slot, so it is
    /// deterministic).
    ///
    /// - Complexity: O(n^2) comparisons, fast for neighbor lists.
    @inline(__always)
    static func insertionSort(_ items: UnsafeMutablePointer<Candidate>, count: Int) {
        var i = 1
        while i < count {
            let item = items[i]
            var j = i
            while j > 0 && (items[j - 1].distance > item.distance
                || (items[j - 1].distance == item.distance && items[j - 1].slot > item.slot))
            {
                items[j] = items[j - 1]
                j -= 1
            }
            items[j] = item
            i += 1
        }
    }
}
