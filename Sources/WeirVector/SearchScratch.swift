/// The reusable working memory of one graph search: a generation-stamped visited array (a
/// node is visited when its stamp equals the current generation, so clearing is one
/// increment), the candidate and result heaps, a buffer for the normalized query, one for the
/// unvisited neighbors of the node being expanded and their distances, and one for drained
/// results. It grows with the index and is then reused without allocating.
final class SearchScratch: @unchecked Sendable {
    // Safe to send: a scratch is used by one search at a time. `HNSWIndex` hands it out from
    // and takes it back into its pool under the pool's `Mutex`, and the writer's own scratch is
    // only touched under the write lock.
    private(set) var visited: UnsafeMutablePointer<UInt16>
    private(set) var visitedCapacity: Int
    private(set) var generation: UInt16 = 0
    var candidates = CandidateHeap(capacity: 256)
    var results = CandidateHeap(capacity: 256)
    /// Holds a query copied in (and normalized for cosine).
    let query: UnsafeMutablePointer<Float>
    /// The unvisited neighbors of the node being expanded (room for one full list).
    let batchSlots: UnsafeMutablePointer<Int32>
    /// Their distances to the query.
    let batchDistances: UnsafeMutablePointer<Float>
    /// Results drained from the heap in ascending distance.
    private(set) var sorted: UnsafeMutablePointer<Candidate>
    private(set) var sortedCapacity: Int

    init(dimension: Int, maxLinks: Int, slots: Int) {
        batchSlots = .allocate(capacity: maxLinks)
        batchDistances = .allocate(capacity: maxLinks)
        visitedCapacity = max(slots, 1024)
        visited = .allocate(capacity: visitedCapacity)
        visited.initialize(repeating: 0, count: visitedCapacity)
        query = .allocate(capacity: dimension)
        sortedCapacity = 256
        sorted = .allocate(capacity: sortedCapacity)
    }

    deinit {
        visited.deallocate()
        query.deallocate()
        sorted.deallocate()
        batchSlots.deallocate()
        batchDistances.deallocate()
        candidates.deallocate()
        results.deallocate()
    }

    /// Starts a new visit over `slots` nodes and returns its generation stamp.
    ///
    /// - Complexity: O(1), amortized (O(slots) when the array grows or the stamp wraps).
    @inline(__always)
    func beginVisit(slots: Int) -> UInt16 {
        if slots > visitedCapacity {
            visited.deallocate()
            visitedCapacity = max(slots, visitedCapacity * 2)
            visited = .allocate(capacity: visitedCapacity)
            visited.initialize(repeating: 0, count: visitedCapacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            visited.update(repeating: 0, count: visitedCapacity)
            generation = 1
        }
        return generation
    }

    /// Moves the `limit` closest results out of the heap into `sorted`, closest first, drops
    /// the rest, and returns how many it moved.
    ///
    /// - Complexity: O(n log n).
    func drainResults(limit: Int = .max) -> Int {
        var heap = results
        defer { results = heap }
        while heap.count > limit { heap.pop() }
        let n = heap.count
        if n > sortedCapacity {
            sorted.deallocate()
            sortedCapacity = max(n, sortedCapacity * 2)
            sorted = .allocate(capacity: sortedCapacity)
        }
        var i = n
        while i > 0 {
            i -= 1
            sorted[i] = heap.pop()
        }
        return n
    }
}
