extension WindowOperator {
    /// Adds one record to its key's sessions, merging every session its window
    /// `[t, t + gap)` overlaps. A record more than the allowed lateness behind the
    /// watermark is refused: it could belong to a session already purged.
    @inlinable
    internal mutating func addToSession(_ record: WindowRecord<Key, Input>, into output: inout Output) {
        let t = record.eventTime
        let own = Window(start: t, end: spec.assigner.latestEnd(containing: t))
        guard t.saturatingAdd(spec.allowedLateness) >= watermark else {
            refuse(record, latestEnd: own.end, into: &output)
            return
        }
        var partial = Partial()
        aggregator.add(record.value, to: &partial)
        let queue = mergeIntoSessions(own, partial, key: record.key, into: &output)
        if queue { sessions.dirty.append(record.key) }
    }

    /// Merges a one-record session into the key's sessions; returns whether the key must
    /// be added to the dirty list.
    @inlinable
    internal mutating func mergeIntoSessions(
        _ own: Window, _ partial: Partial, key: Key, into output: inout Output
    ) -> Bool {
        let w = watermark
        let lateness = spec.allowedLateness
        var newTimer: Int64?
        let queue = modifySessions(of: key) { state -> Bool in
            // Sessions are disjoint and sorted by start, so their ends are sorted too.
            var lo = state.sessions.count
            var low = 0, high = state.sessions.count
            while low < high {
                let mid = (low + high) / 2
                if state.sessions[mid].window.end > own.start { high = mid } else { low = mid + 1 }
            }
            lo = low
            var hi = lo
            while hi < state.sessions.count, state.sessions[hi].window.start < own.end { hi += 1 }

            if lo == hi {
                let timer = own.end <= w ? own.end.saturatingAdd(lateness) : own.end
                state.sessions.insert(
                    SessionPane(window: own, partial: partial, isDirty: true, hasFiredOnTime: own.end <= w,
                                isEmitted: false, timerAt: timer),
                    at: lo)
                newTimer = timer
            } else if hi == lo + 1, state.sessions[lo].window.start <= own.start, own.end <= state.sessions[lo].window.end {
                state.sessions[lo].partial.merge(partial)
                state.sessions[lo].isDirty = true
            } else {
                var merged = state.sessions[lo]
                var window = own
                var timerAt = Int64.max
                for i in lo..<hi {
                    let s = state.sessions[i]
                    window = Window(start: min(window.start, s.window.start), end: max(window.end, s.window.end))
                    timerAt = min(timerAt, s.timerAt)
                    if i > lo { merged.partial.merge(s.partial) }
                }
                merged.partial.merge(partial)
                for i in lo..<hi where state.sessions[i].isEmitted && state.sessions[i].window != window {
                    output.emissions.append(.retract(window: state.sessions[i].window, key: key))
                }
                merged.window = window
                merged.isDirty = true
                merged.isEmitted = false
                merged.hasFiredOnTime = window.end <= w
                merged.timerAt = timerAt
                state.sessions.replaceSubrange(lo..<hi, with: CollectionOfOne(merged))
            }
            guard !state.isQueued else { return false }
            state.isQueued = true
            return true
        }
        if let newTimer { sessions.timers.push(newTimer, key) }
        return queue
    }

    /// Runs `body` on the key's session state in place, creating it when absent and
    /// removing it when it ends up with no sessions and not queued.
    @inlinable
    internal mutating func modifySessions<R>(of key: Key, _ body: (inout SessionKeyState<Partial>) -> R) -> R {
        let result = body(&sessions.keys[key, default: SessionKeyState()])
        if let state = sessions.keys[key], state.sessions.isEmpty, !state.isQueued { sessions.keys[key] = nil }
        return result
    }

    /// After a batch: asks the trigger about every session of every key the batch dirtied.
    @usableFromInline
    internal mutating func finishSessionBatch(dirtyFrom start: Int, into output: inout Output) {
        guard start < sessions.dirty.count else { return }
        var kept = start
        for i in start..<sessions.dirty.count {
            let key = sessions.dirty[i]
            let w = watermark
            let trigger = spec.trigger
            let keep = keepsDirtyPanes
            let stillQueued = modifySessions(of: key) { state -> Bool in
                var anyDirty = false
                for j in state.sessions.indices where state.sessions[j].isDirty {
                    let s = state.sessions[j]
                    let facts = PaneFacts(window: s.window, isDirty: true, hasFiredOnTime: s.hasFiredOnTime)
                    if trigger.onUpdate(facts, watermark: w).fires {
                        Self.emitSession(&state.sessions[j], key: key, timing: s.window.end <= w ? .late : .early, into: &output)
                    } else {
                        anyDirty = true
                    }
                }
                state.isQueued = keep && anyDirty
                return state.isQueued
            }
            if stillQueued {
                sessions.dirty[kept] = key
                kept += 1
            }
        }
        sessions.dirty.removeSubrange(kept...)
    }

    /// Emits one session's current result and marks it clean.
    @usableFromInline
    internal static func emitSession(
        _ session: inout SessionPane<Partial>, key: Key, timing: FiringTiming, into output: inout Output
    ) {
        session.isDirty = false
        session.isEmitted = true
        output.emissions.append(.upsert(WindowResult(window: session.window, key: key, value: session.partial, timing: timing)))
    }

    /// Fires and purges the sessions the watermark completed.
    @usableFromInline
    internal mutating func fireDueSessions(into output: inout Output) {
        let w = watermark
        let lateness = spec.allowedLateness
        let trigger = spec.trigger
        while let due = sessions.timers.popDue(upTo: w) {
            let key = due.payload
            guard sessions.keys[key] != nil else { continue }
            var reschedule: [Int64] = []
            modifySessions(of: key) { state in
                var j = 0
                while j < state.sessions.count {
                    guard state.sessions[j].timerAt <= w else { j += 1; continue }
                    let s = state.sessions[j]
                    let facts = PaneFacts(window: s.window, isDirty: s.isDirty, hasFiredOnTime: s.hasFiredOnTime)
                    let action = trigger.onWatermark(facts, watermark: w, allowedLateness: lateness)
                    if action.fires {
                        Self.emitSession(&state.sessions[j], key: key, timing: s.hasFiredOnTime ? .late : .onTime, into: &output)
                    }
                    if action.purges || s.window.end.saturatingAdd(lateness) <= w {
                        state.sessions.remove(at: j)
                        continue
                    }
                    if s.window.end <= w { state.sessions[j].hasFiredOnTime = true }
                    let next = s.window.end <= w ? s.window.end.saturatingAdd(lateness) : s.window.end
                    state.sessions[j].timerAt = next
                    reschedule.append(next)
                    j += 1
                }
            }
            for time in reschedule { sessions.timers.push(time, key) }
        }
    }

    /// The processing-time firing: every dirty, still open session of the listed keys.
    @usableFromInline
    internal mutating func fireDirtySessionsOnProcessingTime(into output: inout Output) {
        let keys = sessions.dirty
        sessions.dirty.removeAll(keepingCapacity: true)
        let w = watermark
        let trigger = spec.trigger
        for key in keys where sessions.keys[key] != nil {
            modifySessions(of: key) { state in
                state.isQueued = false
                for j in state.sessions.indices {
                    let s = state.sessions[j]
                    let facts = PaneFacts(window: s.window, isDirty: s.isDirty, hasFiredOnTime: s.hasFiredOnTime)
                    if trigger.onProcessingTime(facts, watermark: w).fires {
                        Self.emitSession(&state.sessions[j], key: key, timing: .early, into: &output)
                    }
                }
            }
        }
    }
}
