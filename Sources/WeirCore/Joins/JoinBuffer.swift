/// One side's buffered records for one key, sorted by event time (arrival order among
/// equal times).
///
/// - Complexity: O(log n) to find a time range; insertion moves the entries after it.
@usableFromInline
internal struct JoinBuffer<Value> {
    @usableFromInline
    internal struct Entry {
        @usableFromInline var timestamp: Int64
        @usableFromInline var value: Value

        @inlinable
        init(timestamp: Int64, value: Value) {
            self.timestamp = timestamp
            self.value = value
        }
    }

    @usableFromInline internal var entries: [Entry] = []

    @inlinable
    init() {}

    /// The first index whose time is greater than `time` (or `>= time` when `inclusive` is false).
    @inlinable
    func partition(after time: Int64, inclusive: Bool) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low &+ high) >> 1
            let t = entries[mid].timestamp
            if inclusive ? t <= time : t < time { low = mid &+ 1 } else { high = mid }
        }
        return low
    }

    /// Inserts after every entry at the same or an earlier time.
    @inlinable
    mutating func insert(_ value: Value, at timestamp: Int64) {
        if let last = entries.last, last.timestamp > timestamp {
            entries.insert(Entry(timestamp: timestamp, value: value), at: partition(after: timestamp, inclusive: true))
        } else {
            entries.append(Entry(timestamp: timestamp, value: value))
        }
    }

    /// Calls `body` for every entry with `low <= time <= high`, oldest first.
    @inlinable
    func forEach(from low: Int64, through high: Int64, _ body: (Int64, Value) -> Void) {
        guard low <= high, let first = entries.first, first.timestamp <= high else { return }
        var i = first.timestamp >= low ? 0 : partition(after: low, inclusive: false)
        while i < entries.count {
            let entry = entries[i]
            if entry.timestamp > high { break }
            body(entry.timestamp, entry.value)
            i &+= 1
        }
    }

    /// Removes every entry with `time <= horizon`; returns how many.
    @inlinable
    mutating func evict(through horizon: Int64) -> Int {
        guard let first = entries.first, first.timestamp <= horizon else { return 0 }
        let cut = partition(after: horizon, inclusive: true)
        entries.removeFirst(cut)
        return cut
    }
}

/// Both sides' buffered records for one key.
@usableFromInline
internal struct JoinKeyState<Left, Right> {
    @usableFromInline var left = JoinBuffer<Left>()
    @usableFromInline var right = JoinBuffer<Right>()

    @inlinable
    init() {}

    @inlinable
    var isEmpty: Bool { left.entries.isEmpty && right.entries.isEmpty }
}

extension JoinBuffer.Entry: Sendable where Value: Sendable {}
extension JoinBuffer: Sendable where Value: Sendable {}
extension JoinKeyState: Sendable where Left: Sendable, Right: Sendable {}
