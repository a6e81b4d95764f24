import WeirCore

/// A per-thread DAU state the bench drives: one per worker or per user partition.
protocol DAUBenchPartial: Sendable {
    /// An empty state.
    static func makeEmpty() -> Self
    /// Counts one decoded event.
    mutating func add(day: Int, userId: UnsafeBufferPointer<UInt8>)
    /// Counts a batch of decoded events, in order.
    mutating func add(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>)
}

extension DAUBenchPartial {
    @inline(__always)
    mutating func add(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        for i in days.indices { add(day: days[i], userId: userIds[i]) }
    }
}

/// Decoded events gathered so a partial can count them as a batch, whose table lookups
/// overlap. The user ids point into the input, which must outlive the batch.
struct EventBatch {
    static let capacity = 32
    private let storage = Storage()
    private var count = 0

    /// The batch's two arrays, allocated once: appending then writes through plain pointers,
    /// with no uniqueness check or bounds check per event.
    private final class Storage {
        let days = UnsafeMutablePointer<Int>.allocate(capacity: EventBatch.capacity)
        let userIds = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: EventBatch.capacity)
        deinit {
            days.deallocate()
            userIds.deallocate()
        }
    }

    /// Adds an event, counting the batch into `partial` when it is full.
    @inline(__always)
    mutating func append<P: DAUBenchPartial>(day: Int, userId: UnsafeBufferPointer<UInt8>, flushingInto partial: inout P) {
        storage.days[count] = day
        storage.userIds[count] = userId
        count &+= 1
        if count == EventBatch.capacity { flush(into: &partial) }
    }

    /// Counts the gathered events into `partial` and empties the batch.
    @inline(__always)
    mutating func flush<P: DAUBenchPartial>(into partial: inout P) {
        guard count > 0 else { return }
        partial.add(days: UnsafeBufferPointer(start: storage.days, count: count), userIds: UnsafeBufferPointer(start: storage.userIds, count: count))
        count = 0
    }
}

extension ExactDailyActiveUsers: DAUBenchPartial {
    static func makeEmpty() -> ExactDailyActiveUsers { ExactDailyActiveUsers() }

    @inline(__always)
    mutating func add(day: Int, userId: UnsafeBufferPointer<UInt8>) { record(day: day, userId: userId) }

    @inline(__always)
    mutating func add(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        record(days: days, userIds: userIds)
    }
}

extension ActiveUsers: DAUBenchPartial {
    static func makeEmpty() -> ActiveUsers { ActiveUsers() }

    @inline(__always)
    mutating func add(day: Int, userId: UnsafeBufferPointer<UInt8>) { record(day: day, userId: userId) }

    @inline(__always)
    mutating func add(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        record(days: days, userIds: userIds)
    }
}

/// One HyperLogLog++ sketch of users per day, plus the day's event count: the approximate
/// DAU, whose per-thread partials merge by union.
struct DailyHyperLogLogs: DAUBenchPartial {
    private var baseDay = 0
    private var sketches: [HyperLogLog] = []
    private var events: [Int64] = []

    static func makeEmpty() -> DailyHyperLogLogs { DailyHyperLogLogs() }

    @inline(__always)
    mutating func add(day: Int, userId: UnsafeBufferPointer<UInt8>) {
        let slot = slot(for: day)
        events[slot] += 1
        sketches[slot].add(bytes: UnsafeRawBufferPointer(userId))
    }

    /// Unions `other`'s sketches into this one's, day by day.
    mutating func merge(_ other: DailyHyperLogLogs) {
        for (i, sketch) in other.sketches.enumerated() where other.events[i] > 0 {
            let slot = slot(for: other.baseDay + i)
            sketches[slot].merge(sketch)
            events[slot] += other.events[i]
        }
    }

    /// (day, estimated distinct users, events) of every day with events.
    var totals: [(day: Int, dau: Int64, events: Int64)] {
        events.indices.compactMap { i in events[i] == 0 ? nil : (baseDay + i, sketches[i].estimatedCount, events[i]) }
    }

    /// Bytes held by the sketches (dense registers; sparse sketches are smaller).
    var approximateBytes: Int { sketches.reduce(0) { $0 + ($1.isSparse ? 4 << 10 : 1 << $1.precision) } }

    private mutating func slot(for day: Int) -> Int {
        if sketches.isEmpty {
            baseDay = day
        } else if day < baseDay {
            let more = baseDay - day
            sketches.insert(contentsOf: repeatElement(HyperLogLog(), count: more), at: 0)
            events.insert(contentsOf: repeatElement(0, count: more), at: 0)
            baseDay = day
        }
        let slot = day - baseDay
        if slot >= sketches.count {
            let more = slot - sketches.count + 1
            sketches.append(contentsOf: repeatElement(HyperLogLog(), count: more))
            events.append(contentsOf: repeatElement(0, count: more))
        }
        return slot
    }
}
