/// Searching the graph: greedy descent through the upper levels, then a best-first beam
/// search on one level (the paper's Algorithm 2) with tombstones and an optional metadata
/// filter checked while searching.
extension HNSWGraph {
    /// Walks greedily from `start` through levels `top` down to `bottom + 1` (beam width 1) and
    /// returns the closest node found and its distance.
    ///
    /// - Complexity: O(levels * m * d) per step, a few steps per level.
    @inline(__always)
    static func greedyDescent(
        _ g: GraphView, _ query: UnsafePointer<Float>, from start: Int32, distance startDistance: Float,
        top: Int, bottom: Int
    ) -> Candidate {
        var current = start
        var currentDistance = startDistance
        var level = top
        while level > bottom {
            var changed = true
            while changed {
                changed = false
                let list = g.links(current, level)
                let n = Int(list[0])
                var j = 1
                while j <= n {
                    g.prefetchVector(list[j])
                    j &+= 1
                }
                j = 1
                while j <= n {
                    let neighbor = list[j]
                    let d = g.distance(query, neighbor)
                    if d < currentDistance {
                        currentDistance = d
                        current = neighbor
                        changed = true
                    }
                    j &+= 1
                }
            }
            level &-= 1
        }
        return Candidate(distance: currentDistance, slot: current)
    }

    /// Beam search of width `ef` on one level from `entry`. Leaves up to `ef` accepted nodes
    /// (not tombstoned, passing `filter`) in `scratch.results`. Rejected nodes are still
    /// expanded, so the beam walks through them; while fewer than `ef` nodes are accepted the
    /// search keeps going, which is what lets a selective filter still fill its results.
    ///
    /// - Complexity: about O(ef * m0 * d * log n) distance work for an unfiltered search; a
    ///   filter that accepts a fraction p of the nodes walks roughly 1/p times more.
    static func searchLevel(
        _ g: GraphView, _ query: UnsafePointer<Float>, entry: Candidate, ef: Int, level: Int,
        skipTombstones: Bool, filter: MetadataFilter?, metadata: [[String: String]], slotCount: Int,
        scratch: SearchScratch
    ) {
        let stamp = scratch.beginVisit(slots: slotCount)
        let visited = scratch.visited
        var candidates = scratch.candidates
        var results = scratch.results
        candidates.removeAll()
        results.removeAll()
        defer {
            scratch.candidates = candidates
            scratch.results = results
        }
        let acceptsAll = !skipTombstones && filter == nil

        @inline(__always)
        func accepts(_ slot: Int32) -> Bool {
            if skipTombstones && g.isTombstone(slot) { return false }
            if let filter { return filter.matches(metadata[Int(slot)]) }
            return true
        }

        visited[Int(entry.slot)] = stamp
        var bound = Float.infinity
        if accepts(entry.slot) {
            results.push(entry.distance, entry.slot)
            bound = entry.distance
        }
        candidates.push(-entry.distance, entry.slot)

        let batchSlots = scratch.batchSlots
        let batchDistances = scratch.batchDistances
        while !candidates.isEmpty {
            let current = candidates.top
            if -current.distance > bound && (results.count >= ef || acceptsAll) { break }
            candidates.pop()
            // Gather the unvisited neighbors first and measure them in a loop without
            // data-dependent branches, so their vectors load in parallel.
            let list = g.links(current.slot, level)
            let n = Int(list[0])
            var fresh = 0
            var j = 1
            while j <= n {
                let neighbor = list[j]
                j &+= 1
                if visited[Int(neighbor)] == stamp { continue }
                visited[Int(neighbor)] = stamp
                g.prefetchVector(neighbor)
                batchSlots[fresh] = neighbor
                fresh &+= 1
            }
            var i = 0
            while i < fresh {
                batchDistances[i] = g.distance(query, batchSlots[i])
                i &+= 1
            }
            i = 0
            while i < fresh {
                let d = batchDistances[i]
                let neighbor = batchSlots[i]
                i &+= 1
                if results.count < ef || d < bound {
                    candidates.push(-d, neighbor)
                    if acceptsAll || accepts(neighbor) {
                        results.push(d, neighbor)
                        if results.count > ef { results.pop() }
                        bound = results.top.distance
                    }
                }
            }
        }
    }

    /// The `k` nearest accepted nodes to a prepared query (normalized for cosine), closest
    /// first, in `scratch.sorted`; returns how many.
    ///
    /// - Complexity: O(log n) greedy levels plus one `searchLevel` of width max(ef, k).
    func nearest(
        _ query: UnsafePointer<Float>, k: Int, ef: Int, filter: MetadataFilter?, scratch: SearchScratch
    ) -> Int {
        guard entryPoint >= 0, liveCount > 0, k > 0 else { return 0 }
        let g = view
        let entry = Self.greedyDescent(
            g, query, from: entryPoint, distance: g.distance(query, entryPoint), top: maxLevel, bottom: 0)
        Self.searchLevel(
            g, query, entry: entry, ef: max(ef, k), level: 0, skipTombstones: tombstoneCount > 0, filter: filter,
            metadata: metadata, slotCount: slotCount, scratch: scratch)
        return scratch.drainResults(limit: k)
    }
}
