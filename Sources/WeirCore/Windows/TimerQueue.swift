/// Event-time timers: a binary min-heap of (time, payload), ties broken by insertion order
/// so that firing order is deterministic.
///
/// - Complexity: O(log n) push and pop; O(1) peek.
@usableFromInline
internal struct TimerQueue<Payload: Sendable>: Sendable {
    @usableFromInline
    internal struct Entry: Sendable {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload

        @inlinable
        init(time: Int64, sequence: UInt64, payload: Payload) {
            self.time = time
            self.sequence = sequence
            self.payload = payload
        }

        @inlinable
        func precedes(_ other: Entry) -> Bool { (time, sequence) < (other.time, other.sequence) }
    }

    @usableFromInline internal var heap: [Entry] = []
    @usableFromInline internal var nextSequence: UInt64 = 0

    @inlinable
    init() {}

    /// The number of pending timers (stale ones included).
    @inlinable
    var count: Int { heap.count }

    /// Schedules `payload` at event time `time`.
    @inlinable
    mutating func push(_ time: Int64, _ payload: Payload) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest timer when its time is at most `watermark`.
    @inlinable
    mutating func popDue(upTo watermark: Int64) -> (time: Int64, payload: Payload)? {
        guard let first = heap.first, first.time <= watermark else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                var smallest = left
                if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
                guard heap[smallest].precedes(heap[parent]) else { break }
                heap.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return (first.time, first.payload)
    }
}
