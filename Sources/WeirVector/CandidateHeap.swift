/// A graph node and its distance to the current query.
struct Candidate {
    var distance: Float
    var slot: Int32
}

/// A binary max-heap of candidates by `distance`, on manually managed storage so the search
/// loop neither allocates (after warm-up) nor pays for copy-on-write checks. Push negated
/// distances to use it as a min-heap. The owner calls `deallocate()`.
struct CandidateHeap {
    private(set) var storage: UnsafeMutablePointer<Candidate>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    func deallocate() { storage.deallocate() }

    var isEmpty: Bool { @inline(__always) get { count == 0 } }

    /// The largest candidate; the heap must not be empty.
    var top: Candidate { @inline(__always) get { storage[0] } }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// - Complexity: O(log n), amortized.
    @inline(__always)
    mutating func push(_ distance: Float, _ slot: Int32) {
        if count == capacity { grow() }
        let heap = storage
        var child = count
        count &+= 1
        while child > 0 {
            let parent = (child &- 1) &>> 1
            let p = heap[parent]
            if p.distance >= distance { break }
            heap[child] = p
            child = parent
        }
        heap[child] = Candidate(distance: distance, slot: slot)
    }

    /// Removes and returns the largest candidate; the heap must not be empty.
    ///
    /// - Complexity: O(log n).
    @inline(__always)
    @discardableResult
    mutating func pop() -> Candidate {
        let heap = storage
        let result = heap[0]
        count &-= 1
        let n = count
        if n == 0 { return result }
        let last = heap[n]
        var parent = 0
        while true {
            var child = parent &* 2 &+ 1
            if child >= n { break }
            let right = child &+ 1
            if right < n && heap[right].distance > heap[child].distance { child = right }
            if heap[child].distance <= last.distance { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
        return result
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Candidate>.allocate(capacity: capacity * 2)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
