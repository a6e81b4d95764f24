extension WindowOperator {
    /// Adds one record to every one of its windows that is still open.
    @inlinable
    internal mutating func addToAligned(_ record: WindowRecord<Key, Input>, into output: inout Output) {
        let lateness = spec.allowedLateness
        let latestEnd = spec.assigner.latestEnd(containing: record.eventTime)
        guard latestEnd.saturatingAdd(lateness) > watermark else {
            refuse(record, latestEnd: latestEnd, into: &output)
            return
        }
        let w = watermark
        for window in spec.assigner.assignedWindows(containing: record.eventTime) {
            guard window.end.saturatingAdd(lateness) > w else { continue }
            let dirtied: Int?
            if let slot = aligned.panes.index(forKey: window) {
                // Through `values[slot]`, the pane is mutated in place (no copy of its tables).
                dirtied = aligned.panes.values[slot].accumulate(record.value, key: record.key, with: aggregator)
            } else {
                var pane = AlignedPane<Key, Partial>()
                pane.hasFiredOnTime = window.end <= w
                dirtied = pane.accumulate(record.value, key: record.key, with: aggregator)
                aligned.panes[window] = pane
                aligned.timers.push(window.end <= w ? window.end.saturatingAdd(lateness) : window.end, window)
            }
            if let group = dirtied { aligned.dirty.append(AlignedGroupRef(window: window, group: group)) }
        }
    }

    /// After a batch: asks the trigger about every group the batch dirtied.
    @usableFromInline
    internal mutating func finishAlignedBatch(dirtyFrom start: Int, into output: inout Output) {
        guard start < aligned.dirty.count else { return }
        var kept = start
        for i in start..<aligned.dirty.count {
            let ref = aligned.dirty[i]
            guard let pane = aligned.panes[ref.window], pane.groups[ref.group].isDirty else { continue }
            let facts = PaneFacts(window: ref.window, isDirty: true, hasFiredOnTime: pane.hasFiredOnTime)
            if spec.trigger.onUpdate(facts, watermark: watermark).fires {
                emitAligned(ref, timing: ref.window.end <= watermark ? .late : .early, into: &output)
            } else if keepsDirtyPanes {
                aligned.dirty[kept] = ref
                kept += 1
            }
        }
        aligned.dirty.removeSubrange(kept...)
    }

    /// Emits one group's current result and marks it clean.
    @usableFromInline
    internal mutating func emitAligned(_ ref: AlignedGroupRef, timing: FiringTiming, into output: inout Output) {
        aligned.panes[ref.window]!.groups[ref.group].isDirty = false
        let group = aligned.panes[ref.window]!.groups[ref.group]
        output.emissions.append(.upsert(WindowResult(window: ref.window, key: group.key, value: group.partial, timing: timing)))
    }

    /// Fires and purges the windows the watermark completed.
    @usableFromInline
    internal mutating func fireDueAlignedWindows(into output: inout Output) {
        let lateness = spec.allowedLateness
        while let due = aligned.timers.popDue(upTo: watermark) {
            let window = due.payload
            guard let pane = aligned.panes[window] else { continue }
            var purge = false
            for g in pane.groups.indices {
                let facts = PaneFacts(window: window, isDirty: pane.groups[g].isDirty, hasFiredOnTime: pane.hasFiredOnTime)
                let action = spec.trigger.onWatermark(facts, watermark: watermark, allowedLateness: lateness)
                if action.fires {
                    emitAligned(AlignedGroupRef(window: window, group: g), timing: pane.hasFiredOnTime ? .late : .onTime, into: &output)
                }
                purge = purge || action.purges
            }
            if purge || window.end.saturatingAdd(lateness) <= watermark {
                aligned.panes[window] = nil
            } else {
                aligned.panes[window]!.hasFiredOnTime = true
                aligned.timers.push(window.end.saturatingAdd(lateness), window)
            }
        }
    }

    /// The processing-time firing: every listed group that is still dirty and open.
    @usableFromInline
    internal mutating func fireDirtyAlignedOnProcessingTime(into output: inout Output) {
        let refs = aligned.dirty
        aligned.dirty.removeAll(keepingCapacity: true)
        for ref in refs {
            guard let pane = aligned.panes[ref.window] else { continue }
            let facts = PaneFacts(window: ref.window, isDirty: pane.groups[ref.group].isDirty, hasFiredOnTime: pane.hasFiredOnTime)
            if spec.trigger.onProcessingTime(facts, watermark: watermark).fires {
                emitAligned(ref, timing: .early, into: &output)
            }
        }
    }
}
