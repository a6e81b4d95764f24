import WeirCore

/// Runs a DAU bench over a mapped NDJSON file on `threads` OS threads.
///
/// - **Merged** (HyperLogLog): each thread parses one line-aligned range into its own
///   partial; the partials are unioned.
/// - **Partitioned by user** (exact distinct counts): each thread parses a range and routes
///   every decoded (day, user) to the partition `hash(user) % threads`; then each thread
///   counts one partition. Partitions hold disjoint users, so their per-day counts add up
///   exactly. The file is processed in rounds of about ``roundBytes`` per thread, so the
///   routed events in flight stay small, and in file order, so each partition sees its
///   events in the same order as a single thread would.
struct DAUBenchDriver: Sendable {
    let file: MappedFile
    let threads: Int
    let nowMillis: Int64
    static let roundBytes = 16 << 20

    /// Lines read and lines refused by the decoder.
    struct LineCounts: Sendable {
        var lines = 0
        var rejected = 0
        static func + (a: LineCounts, b: LineCounts) -> LineCounts {
            LineCounts(lines: a.lines + b.lines, rejected: a.rejected + b.rejected)
        }
    }

    /// Decodes every line of `range` and hands each valid event to `body`.
    @inline(__always)
    func decode(_ range: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) -> LineCounts {
        var decoder = ActivityEventDecoder()
        var counts = LineCounts()
        let now = nowMillis
        decoder.withBatch { decoder in
            file.forEachLine(in: range) { line in
                counts.lines += 1
                let rejection = decoder.decode(line, nowMillis: now) { user, millis in
                    body(Int(millis.dividedFloor(by: 86_400_000)), user)
                }
                if rejection != nil { counts.rejected += 1 }
            }
        }
        return counts
    }

    /// Decodes every line of `range` into `partial`, in batches. (Its loop repeats the one
    /// above rather than calling it: through that call the per-event closure is not inlined,
    /// which cost 23 instructions per event.) A user id that had to be
    /// unescaped lives in the decoder's scratch buffer only during the callback, so it is
    /// counted on its own, after the batch before it.
    @inline(__always)
    func decode<P: DAUBenchPartial>(_ range: Range<Int>, into partial: inout P) -> LineCounts {
        var batch = EventBatch()
        var decoder = ActivityEventDecoder()
        var counts = LineCounts()
        let now = nowMillis
        decoder.withBatch { decoder in
            file.forEachLine(in: range) { line in
                counts.lines += 1
                let rejection = decoder.decode(line, nowMillis: now) { user, millis in
                    let day = Int(millis.dividedFloor(by: 86_400_000))
                    let lineStart = line.baseAddress.unsafelyUnwrapped
                    if let start = user.baseAddress, start >= lineStart, start + user.count <= lineStart + line.count {
                        batch.append(day: day, userId: user, flushingInto: &partial)
                    } else {
                        batch.flush(into: &partial)
                        partial.add(day: day, userId: user)
                    }
                }
                if rejection != nil { counts.rejected += 1 }
            }
        }
        batch.flush(into: &partial)
        return counts
    }

    /// One partial per thread over its range, or one over the file with one thread.
    func runPerRange<P: DAUBenchPartial>(_ type: P.Type) -> (partials: [P], counts: LineCounts) {
        let ranges = file.lineAlignedRanges(parts: threads)
        let results = WorkerThreads.run(count: threads) { t -> (P, LineCounts) in
            var partial = P.makeEmpty()
            let counts = decode(ranges[t], into: &partial)
            return (partial, counts)
        }
        return (results.map(\.0), results.map(\.1).reduce(LineCounts(), +))
    }

    /// One partial per user partition; with one thread, a single pass with no routing.
    func runPartitioned<P: DAUBenchPartial>(_ type: P.Type) -> (partials: [P], counts: LineCounts) {
        if threads == 1 { return runPerRange(type) }
        let rounds = max(1, (file.count + threads * Self.roundBytes - 1) / (threads * Self.roundBytes))
        let chunks = file.lineAlignedRanges(parts: rounds * threads)
        let partitions = (0..<threads).map { _ in Guarded(P.makeEmpty()) }
        var counts = LineCounts()
        let partitionCount = threads
        for round in 0..<rounds {
            // Phase 1: parse and route.
            let routed = WorkerThreads.run(count: threads) { t -> ([RoutedEvents], LineCounts) in
                var outboxes = (0..<partitionCount).map { _ in RoutedEvents(reserving: Self.roundBytes / 8) }
                let counts = decode(chunks[round * partitionCount + t]) { day, user in
                    let h = weirHashBytes(UnsafeRawPointer(user.baseAddress!), count: user.count)
                    outboxes[Int(h >> 33) % partitionCount].append(day: day, userId: user)
                }
                return (outboxes, counts)
            }
            counts = routed.map(\.1).reduce(counts, +)
            // Phase 2: each thread counts its partition, taking the chunks in file order.
            _ = WorkerThreads.run(count: threads) { p -> Bool in
                partitions[p].withValue { state in
                    var batch = EventBatch()
                    for (outboxes, _) in routed {
                        outboxes[p].forEach { batch.append(day: $0, userId: $1, flushingInto: &state) }
                        batch.flush(into: &state)  // the next outbox is another buffer
                    }
                    return true
                }
            }
        }
        return (partitions.map { $0.withValue { $0 } }, counts)
    }
}

/// Decoded events on their way from a parsing thread to a partition: packed as
/// (day: Int32, length: UInt16, id bytes) in one buffer.
struct RoutedEvents: Sendable {
    private var bytes: [UInt8] = []

    init(reserving capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func append(day: Int, userId: UnsafeBufferPointer<UInt8>) {
        withUnsafeBytes(of: Int32(truncatingIfNeeded: day).littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt16(truncatingIfNeeded: userId.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: userId)
    }

    /// Calls `body` with each (day, user id) in the order appended.
    func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i < buffer.count {
                let day = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: Int32.self)))
                let length = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i + 4, as: UInt16.self)))
                body(day, UnsafeBufferPointer(start: base + i + 6, count: length))
                i += 6 + length
            }
        }
    }
}
