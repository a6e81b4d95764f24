/// A mergeable top-k summary: Space-Saving (Metwally, Agrawal, El Abbadi, "Efficient
/// computation of frequent and top-k elements in data streams", ICDT 2005) with weighted
/// updates and the merge of parallel Space-Saving (Cafaro, Pulimeno, Tempesta, 2016).
///
/// It monitors at most `capacity` keys, each with an upper bound `count` and an
/// overestimation `error`. For every monitored key, with N the total weight added (over
/// all merged partials):
/// `count - error <= true count <= count` and `error <= N / capacity`.
/// A key that is not monitored has a true count of at most ``minimumCount`` (zero while
/// the summary is not full), and every key whose true count exceeds `N / capacity` is
/// monitored. While the summary has seen at most `capacity` distinct keys it is exact.
///
/// **Merge.** Each key of either summary gets the sum of its counts in both, where a
/// summary that does not monitor it contributes its ``minimumCount`` (its bound for
/// unmonitored keys) to the count and the error; the `capacity` largest are kept. The
/// bounds above still hold for the merged summary. An empty summary is the identity;
/// the capacity of a merge is the smaller of the two.
///
/// - Complexity: `add` is O(log capacity); `merge` and `top` are
///   O(capacity log capacity); memory O(capacity).
public struct SpaceSaving<Key: Hashable & Sendable>: MergeableAggregate {
    /// One monitored key with its bounds.
    public struct Entry: Sendable {
        /// The key.
        public var key: Key
        /// An upper bound on the key's true count.
        public var count: UInt64
        /// How much `count` may overestimate: the true count is at least `count - error`.
        public var error: UInt64
        /// In ``SpaceSaving/top(_:)``: `true` when the key is certainly among the true
        /// top k (its lower bound is at least the upper bound of every key outside).
        public var isGuaranteed: Bool = false

        /// The guaranteed lower bound on the key's true count.
        public var lowerBound: UInt64 { count - error }

        @usableFromInline
        init(key: Key, count: UInt64, error: UInt64) {
            self.key = key
            self.count = count
            self.error = error
        }
    }

    /// The capacity of `init()`.
    public static var defaultCapacity: Int { 1024 }

    /// The most keys monitored at once.
    public private(set) var capacity: Int
    /// The total weight added, over all merged partials.
    public var totalCount: UInt64 { _totalCount }
    @usableFromInline internal var _totalCount: UInt64 = 0
    /// A min-heap on `count` of the monitored keys.
    @usableFromInline internal var heap: [Entry] = []
    /// Where each monitored key sits in `heap`.
    @usableFromInline internal var positions: [Key: Int] = [:]

    /// An empty summary with the default capacity (1,024 keys).
    public init() { self.init(capacity: SpaceSaving.defaultCapacity) }

    /// An empty summary that monitors at most `capacity` (>= 1) keys.
    public init(capacity: Int) {
        precondition(capacity >= 1, "SpaceSaving needs a capacity of at least 1")
        self.capacity = capacity
    }

    /// The number of keys monitored.
    public var monitoredCount: Int { heap.count }
    /// `true` when nothing was added.
    public var isEmpty: Bool { _totalCount == 0 }
    /// The upper bound on the true count of any key that is not monitored: the smallest
    /// monitored count once full, zero before.
    public var minimumCount: UInt64 { heap.count == capacity ? heap[0].count : 0 }

    /// Counts `key` with weight `count`.
    ///
    /// - Complexity: O(log capacity).
    @inlinable
    public mutating func add(_ key: Key, count: UInt64 = 1) {
        guard count > 0 else { return }
        _totalCount += count
        if let i = positions[key] {
            heap[i].count += count
            siftDown(i)
        } else if heap.count < capacity {
            heap.append(Entry(key: key, count: count, error: 0))
            positions[key] = heap.count - 1
            siftUp(heap.count - 1)
        } else {
            // Replace the key with the smallest count: the newcomer inherits that count as
            // its possible overestimation.
            let evicted = heap[0]
            positions[evicted.key] = nil
            heap[0] = Entry(key: key, count: evicted.count + count, error: evicted.count)
            positions[key] = 0
            siftDown(0)
        }
    }

    /// The bounds of `key`, or `nil` when it is not monitored (its true count is then at
    /// most ``minimumCount``).
    public func entry(for key: Key) -> Entry? {
        positions[key].map { heap[$0] }
    }

    /// The `k` keys with the largest counts, largest first (ties: smaller error first),
    /// each marked whether it is guaranteed to be in the true top k.
    ///
    /// - Complexity: O(capacity log capacity).
    public func top(_ k: Int) -> [Entry] {
        let sorted = heap.sorted(by: SpaceSaving.ranksBefore)
        var result = Array(sorted.prefix(Swift.max(0, k)))
        // Any key outside the result has a true count of at most this.
        let outside = Swift.max(sorted.count > result.count ? sorted[result.count].count : 0, minimumCount)
        for i in result.indices { result[i].isGuaranteed = result[i].lowerBound >= outside }
        return result
    }

    /// Merges `other` (see the type's documentation for the bounds it keeps).
    ///
    /// - Complexity: O((capacity + other.capacity) log).
    public mutating func merge(_ other: SpaceSaving<Key>) {
        if other.isEmpty { return }
        if isEmpty {
            self = other
            return
        }
        let mine = minimumCount
        let theirs = other.minimumCount
        var candidates: [Entry] = []
        candidates.reserveCapacity(heap.count + other.heap.count)
        for e in heap {
            if let j = other.positions[e.key] {
                let o = other.heap[j]
                candidates.append(Entry(key: e.key, count: e.count + o.count, error: e.error + o.error))
            } else {
                candidates.append(Entry(key: e.key, count: e.count + theirs, error: e.error + theirs))
            }
        }
        for o in other.heap where positions[o.key] == nil {
            candidates.append(Entry(key: o.key, count: o.count + mine, error: o.error + mine))
        }
        capacity = Swift.min(capacity, other.capacity)
        _totalCount += other._totalCount
        // Keep the largest counts; the index breaks the remaining ties deterministically.
        let kept = candidates.indices.sorted { a, b in
            let x = candidates[a], y = candidates[b]
            if x.count != y.count { return x.count > y.count }
            if x.error != y.error { return x.error < y.error }
            return a < b
        }.prefix(capacity)
        heap = kept.map { candidates[$0] }
        // Descending order is not a min-heap: rebuild.
        heap.reverse()
        positions = [:]
        positions.reserveCapacity(heap.count)
        for i in heap.indices { positions[heap[i].key] = i }
        var i = heap.count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    private static func ranksBefore(_ x: Entry, _ y: Entry) -> Bool {
        if x.count != y.count { return x.count > y.count }
        return x.error < y.error
    }

    @inlinable
    internal mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].count < heap[parent].count else { break }
            swapAt(i, parent)
            i = parent
        }
    }

    @inlinable
    internal mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1
            guard left < heap.count else { return }
            var smallest = left
            let right = left + 1
            if right < heap.count && heap[right].count < heap[left].count { smallest = right }
            guard heap[smallest].count < heap[i].count else { return }
            swapAt(i, smallest)
            i = smallest
        }
    }

    @inlinable
    internal mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        positions[heap[i].key] = i
        positions[heap[j].key] = j
    }
}

extension SpaceSaving.Entry: Equatable {}
