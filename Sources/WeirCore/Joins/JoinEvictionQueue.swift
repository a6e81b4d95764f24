/// The keys that hold buffered join records, ordered by record time: a binary min-heap
/// with one entry per buffered record, so eviction visits only keys that have something
/// to evict.
///
/// - Complexity: O(log n) push and pop; O(1) peek.
@usableFromInline
internal struct JoinEvictionQueue<Key: Hashable & Sendable>: Sendable {
    @usableFromInline
    internal struct Entry: Sendable {
        @usableFromInline var time: Int64
        @usableFromInline var key: Key

        @inlinable
        init(time: Int64, key: Key) {
            self.time = time
            self.key = key
        }
    }

    @usableFromInline internal var heap: [Entry] = []

    @inlinable
    init() {}

    /// The number of entries.
    @inlinable
    var count: Int { heap.count }

    /// The earliest time queued.
    @inlinable
    var minimumTime: Int64? { heap.first?.time }

    /// Queues `key` for eviction once the horizon reaches `time`.
    @inlinable
    mutating func push(_ time: Int64, _ key: Key) {
        heap.append(Entry(time: time, key: key))
        var child = heap.count &- 1
        while child > 0 {
            let parent = (child &- 1) >> 1
            guard heap[child].time < heap[parent].time else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the key with the earliest time, if that time is `<= horizon`.
    @inlinable
    mutating func pop(through horizon: Int64) -> Key? {
        guard let first = heap.first, first.time <= horizon else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first.key }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 &* parent &+ 1
            guard left < heap.count else { break }
            let right = left &+ 1
            let child = right < heap.count && heap[right].time < heap[left].time ? right : left
            guard heap[child].time < heap[parent].time else { break }
            heap.swapAt(child, parent)
            parent = child
        }
        return first.key
    }

    /// Empties the queue.
    @inlinable
    mutating func removeAll() { heap.removeAll() }
}
