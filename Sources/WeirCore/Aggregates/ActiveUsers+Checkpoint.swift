/// Incremental snapshots of an ``ActiveUsers`` operator.
///
/// ``checkpointPayload(full:)`` encodes what changed since its previous call (or
/// everything); ``init(restoring:configuration:)`` rebuilds the state from a full payload
/// and the deltas after it. The payload (state format 1) is little-endian:
///
/// ```
/// u8   flags: bit 0 full, bit 1 counters present (any event accepted); other bits 0
/// u8   W, the number of windows; W × u8 window lengths (ascending)
/// u16  allowed lateness days
/// u16  max retention age
/// i64  accepted events, late events, out-of-range events
/// i64  latest day, earliest day (0 without counters)
/// -- counters, when present:
/// i64  base day (day of index 0)
/// u32  D, the number of days (latest - base day + 1)
/// u32  F, the first day index written (0 in a full payload; D when no day changed)
/// (D - F) × i64          events of days F..<D
/// (D - F) × i64          DAU of days F..<D
/// (D - F) × A × i64      retention rows of cohorts F..<D, A = max retention age + 1
/// ((D + max window + 1) × W - F × W) × i64   window differences from index F × W to
///                                            the end (none when F == D)
/// -- users:
/// u32  U, distinct users after this payload is applied
/// u32  N, user entries that follow (all U users in id order in a full payload; in a
///      delta, the changed older users then the new ones in id order)
/// N × { u32 id length, id bytes, u64 activity bits, i32 last day, i32 first day }
/// ```
///
/// A delta's day rows overwrite the restored ones from index F on. That is exact because
/// every change of an accepted event lands at or after the lowest index it touches: its
/// day (events, DAU, window differences start at the day and go later) or its cohort
/// (retention, up to the max retention age before the day; a moved cohort's old row is
/// later than the new one).
extension ActiveUsers {
    /// The version of the payload format written by ``checkpointPayload(full:)``.
    public static let stateFormatVersion: UInt16 = 1

    /// Whether anything changed since the last ``checkpointPayload(full:)`` call.
    public var hasUncheckpointedChanges: Bool {
        (counters?.hasUncheckpointedChanges ?? false)
            || !dirtyUsers.ids.isEmpty
            || activity.count > dirtyUsers.checkpointedUsers
            || lateEvents != refusalsAtCheckpoint.late
            || outOfRangeEvents != refusalsAtCheckpoint.outOfRange
    }

    /// Encodes the state changed since the previous call — changed users (id bytes and
    /// 16-byte activity) plus the day counters from the lowest changed day index to the
    /// end, the scalars and the configuration — or the whole state when `full` is true
    /// (see the extension's documentation for the format); then clears the dirty marks.
    ///
    /// - Returns: the payload and `keys`, the users plus day slots written.
    /// - Complexity: O(changed users × id length + changed days × (windows + retention
    ///   ages)); O(whole state) when `full`.
    public mutating func checkpointPayload(full: Bool) -> (payload: [UInt8], keys: Int) {
        let dayFrom = counters?.takeCheckpointFrom()
        var w = StateByteWriter(capacity: 64)
        w.append(UInt8(full ? 1 : 0) | UInt8(counters == nil ? 0 : 2))
        w.append(UInt8(configuration.windows.count))
        for n in configuration.windows { w.append(UInt8(n)) }
        w.append(UInt16(configuration.allowedLatenessDays))
        w.append(UInt16(configuration.maxRetentionAge))
        w.append(acceptedEvents)
        w.append(lateEvents)
        w.append(outOfRangeEvents)
        w.append(Int64(counters == nil ? 0 : latest))
        w.append(Int64(counters == nil ? 0 : earliest))

        var keys = 0
        if let counters {
            let days = counters.events.count
            let from = full ? 0 : min(dayFrom ?? days, days)
            let stride = configuration.windows.count
            let ages = counters.retentionAges
            w.append(Int64(counters.baseDay))
            w.append(UInt32(days))
            w.append(UInt32(from))
            w.bytes.reserveCapacity(w.bytes.count + (days - from) * (16 + ages * 8 + stride * 8) + 64 * stride * 8)
            w.append(int64s: counters.events[from...])
            w.append(int64s: counters.dau[from...])
            w.append(int64s: counters.retention[(from * ages)...])
            if from < days { w.append(int64s: counters.windowDiff[(from * stride)...]) }
            keys += days - from
        }

        let firstNew = full ? 1 : dirtyUsers.checkpointedUsers + 1
        let changed = full ? [] : dirtyUsers.ids
        let entries = changed.count + max(0, activity.count - firstNew + 1)
        w.append(UInt32(activity.count))
        w.append(UInt32(entries))
        func appendUser(_ id: Int) {
            users.withBytes(of: UInt32(id)) { bytes in
                w.append(UInt32(bytes.count))
                w.append(bytes: bytes)
            }
            let user = activity[id - 1]
            w.append(user.bits)
            w.append(user.lastDay)
            w.append(user.firstDay)
        }
        for id in changed { appendUser(Int(id)) }
        if firstNew <= activity.count {
            for id in firstNew...activity.count { appendUser(id) }
        }
        keys += entries

        dirtyUsers.reset(users: activity.count)
        refusalsAtCheckpoint = (lateEvents, outOfRangeEvents)
        return (w.bytes, keys)
    }

    /// Rebuilds the state from `chunks` as ``StateChain/select(_:)`` returns them: a full
    /// chunk first, then the deltas after it. No chunks give an empty operator. After the
    /// restore, neither the dirty marks nor the changed days are set.
    ///
    /// - Throws: ``StateChunkError`` with code `unsupportedStateFormat` for a state format
    ///   other than ``stateFormatVersion``, `configurationMismatch` (naming both
    ///   configurations) when the state was written with another configuration, and
    ///   `malformedPayload` when a payload does not parse or the chunks are out of order.
    /// - Complexity: O(total payload size).
    public init(restoring chunks: [StateChunk], configuration: ActiveUsersConfiguration) throws(StateChunkError) {
        self.init(configuration: configuration)
        for (n, chunk) in chunks.enumerated() {
            guard chunk.stateFormat == Self.stateFormatVersion else {
                throw StateChunkError(
                    .unsupportedStateFormat,
                    "chunk \(chunk.sequence): active-users state format \(chunk.stateFormat); this reader knows \(Self.stateFormatVersion)")
            }
            guard (n == 0) == (chunk.kind == .full) else {
                throw StateChunkError(
                    .malformedPayload,
                    "chunk \(chunk.sequence) is a \(chunk.kind) chunk at position \(n); a restore needs one full chunk, then deltas")
            }
            do throws(StateChunkError) {
                try apply(chunk.payload, full: chunk.kind == .full)
            } catch {
                throw StateChunkError(error.code, "chunk \(chunk.sequence): \(error.detail)")
            }
        }
        counters?.clearMarks()
        dirtyUsers.reset(users: activity.count)
        refusalsAtCheckpoint = (lateEvents, outOfRangeEvents)
    }

    /// The range of days whose day rows (events, DAU, window counts) or cohort rows may
    /// have changed since the previous call, and clears it; `nil` when nothing changed.
    ///
    /// The range ends on the latest day: rows past it (``report(throughDay:)`` with a later
    /// day) change whenever any row does. A cohort whose users all moved to an earlier
    /// cohort disappears from the report, so a sink replacing cohort rows in the range
    /// should delete the range's old rows first. Refused events change no row.
    public mutating func drainChangedDays() -> ClosedRange<Int>? {
        guard counters != nil, let from = counters!.takeChangedFrom() else { return nil }
        let first = max(counters!.baseDay + from, earliest)
        return first <= latest ? first...latest : nil
    }

    /// Applies one payload on top of the current state.
    private mutating func apply(_ payload: [UInt8], full: Bool) throws(StateChunkError) {
        var r = StateByteReader(payload)
        let flags = try r.read(UInt8.self, "flags")
        guard flags & ~3 == 0, (flags & 1 == 1) == full else {
            throw StateChunkError(.malformedPayload, "flags \(flags) in a \(full ? "full" : "delta") chunk")
        }
        let hasCounters = flags & 2 != 0
        let windowCount = Int(try r.read(UInt8.self, "window count"))
        var windows: [Int] = []
        for _ in 0..<windowCount { windows.append(Int(try r.read(UInt8.self, "window"))) }
        let lateness = Int(try r.read(UInt16.self, "allowed lateness"))
        let maxAge = Int(try r.read(UInt16.self, "max retention age"))
        guard windows == configuration.windows, lateness == configuration.allowedLatenessDays,
            maxAge == configuration.maxRetentionAge
        else {
            throw StateChunkError(
                .configurationMismatch,
                "the state was written with \(Self.summary(windows: windows, lateness: lateness, maxAge: maxAge)); this operator has \(Self.summary(windows: configuration.windows, lateness: configuration.allowedLatenessDays, maxAge: configuration.maxRetentionAge))")
        }
        let accepted = try r.read(Int64.self, "accepted events")
        let late = try r.read(Int64.self, "late events")
        let outOfRange = try r.read(Int64.self, "out-of-range events")
        let newLatest = Int(try r.read(Int64.self, "latest day"))
        let newEarliest = Int(try r.read(Int64.self, "earliest day"))
        guard accepted >= acceptedEvents, late >= lateEvents, outOfRange >= outOfRangeEvents else {
            throw StateChunkError(.malformedPayload, "event counts \(accepted)/\(late)/\(outOfRange) are below the restored ones")
        }

        if hasCounters {
            let baseDay = Int(try r.read(Int64.self, "base day"))
            let days = Int(try r.read(UInt32.self, "day count"))
            let from = Int(try r.read(UInt32.self, "first day index"))
            guard baseDay > Int(Int32.min) / 2, days >= 1, days <= Self.maxSpanDays + 1, from <= days,
                newLatest == baseDay + days - 1, newLatest < Int(Int32.max) / 2,
                newEarliest >= baseDay, newEarliest <= newLatest
            else {
                throw StateChunkError(
                    .malformedPayload,
                    "inconsistent days: base \(baseDay), \(days) days, from index \(from), earliest \(newEarliest), latest \(newLatest)")
            }
            if let existing = counters {
                guard existing.baseDay == baseDay, existing.events.count <= days else {
                    throw StateChunkError(
                        .malformedPayload,
                        "a delta with base day \(baseDay) and \(days) days on a state with base day \(existing.baseDay) and \(existing.events.count) days")
                }
            } else if !full, acceptedEvents > 0 {
                throw StateChunkError(.malformedPayload, "counters appear in a delta after events were accepted")
            }
            let stride = configuration.windows.count
            let ages = configuration.maxRetentionAge + 1
            let rows = days - from
            let diffCount = from == days ? 0 : (days + configuration.windows.last! + 1 - from) * stride
            try r.require(rows * (16 + ages * 8) + diffCount * 8, for: "\(rows) day rows from index \(from)")
            var fresh = counters ?? ActiveUsersDayCounters(baseDay: baseDay, configuration: configuration)
            counters = nil  // keep `fresh` uniquely referenced while it is filled
            fresh.extend(through: newLatest)
            try r.readInt64s(into: &fresh.events, from: from, count: rows, "events")
            try r.readInt64s(into: &fresh.dau, from: from, count: rows, "DAU")
            try r.readInt64s(into: &fresh.retention, from: from * ages, count: rows * ages, "retention")
            try r.readInt64s(into: &fresh.windowDiff, from: from * stride, count: diffCount, "window differences")
            counters = fresh
            latest = newLatest
            earliest = newEarliest
        } else {
            guard counters == nil, newLatest == 0, newEarliest == 0, accepted == 0 else {
                throw StateChunkError(.malformedPayload, "a payload without counters on a state with counters, or with accepted events")
            }
        }
        acceptedEvents = accepted
        lateEvents = late
        outOfRangeEvents = outOfRange

        let total = Int(try r.read(UInt32.self, "user count"))
        let entries = Int(try r.read(UInt32.self, "user entries"))
        guard total >= activity.count, entries <= total, total - activity.count <= entries, !full || entries == total,
            hasCounters || total == 0
        else {
            throw StateChunkError(.malformedPayload, "\(total) users (\(entries) entries) after \(activity.count) restored ones")
        }
        try r.require(entries * 20, for: "\(entries) user entries")
        if full {
            users = ByteStringInterner(capacity: total)
            activity.reserveCapacity(total)
        }
        for _ in 0..<entries {
            let length = Int(try r.read(UInt32.self, "user id length"))
            let id = Int(try r.withBytes(count: length, "user id") { users.intern($0) })
            let user = UserActivity(
                bits: try r.read(UInt64.self, "activity bits"),
                lastDay: try r.read(Int32.self, "last day"),
                firstDay: try r.read(Int32.self, "first day"))
            let last = Int(user.lastDay)
            let first = Int(user.firstDay)
            let span = last - first
            guard user.bits & 1 == 1, first >= earliest, first <= last, last <= latest,
                span >= 63 || user.bits >> UInt64(span + 1) == 0
            else {
                throw StateChunkError(
                    .malformedPayload,
                    "user \(users.string(of: UInt32(id))): activity bits \(user.bits), last day \(last), first day \(first) outside \(earliest)...\(latest)")
            }
            if id == activity.count + 1 {
                activity.append(user)
            } else if !full {
                activity[id - 1] = user
            } else {
                throw StateChunkError(.malformedPayload, "user \(users.string(of: UInt32(id))) appears twice in a full chunk")
            }
        }
        guard activity.count == total else {
            throw StateChunkError(.malformedPayload, "\(activity.count) users after the chunk, which declares \(total)")
        }
        try r.requireEnd("the user entries")
    }

    /// `windows [1, 7, 30], allowed lateness 34 days, max retention age 30 days`.
    private static func summary(windows: [Int], lateness: Int, maxAge: Int) -> String {
        "windows \(windows), allowed lateness \(lateness) days, max retention age \(maxAge) days"
    }
}
