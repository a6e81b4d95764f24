extension WindowOperator {
    /// The operator's state as a value, to restore with ``init(spec:aggregator:restoring:)``.
    ///
    /// - Complexity: O(p log p) for p open panes.
    public func snapshot() -> WindowOperatorSnapshot<Key, Partial> {
        typealias Pane = WindowOperatorSnapshot<Key, Partial>.Pane
        var panes: [Pane] = []
        if spec.assigner.isMerging {
            for (key, state) in sessions.keys {
                for s in state.sessions {
                    panes.append(Pane(window: s.window, key: key, partial: s.partial, isDirty: s.isDirty,
                                      hasFiredOnTime: s.hasFiredOnTime, isEmitted: s.isEmitted))
                }
            }
            // Keys come in this process's hash order; a stable sort by window keeps the
            // restore faithful (it does not depend on the order among keys).
            panes.sort { $0.window < $1.window }
        } else {
            for window in aligned.panes.keys.sorted() {
                let pane = aligned.panes[window]!
                for g in pane.groups {
                    panes.append(Pane(window: window, key: g.key, partial: g.partial, isDirty: g.isDirty,
                                      hasFiredOnTime: pane.hasFiredOnTime, isEmitted: pane.hasFiredOnTime))
                }
            }
        }
        return WindowOperatorSnapshot(
            watermark: watermark, nextEarlyFiring: nextEarlyFiring, lateRecordCount: lateRecordCount, panes: panes)
    }

    /// An operator that continues exactly where the snapshotted one stopped: the same
    /// panes, flags, watermark, early-firing schedule and late count; timers and dirty
    /// lists are rebuilt from the panes.
    ///
    /// - Complexity: O(p log p) for p panes.
    public init(spec: WindowSpec, aggregator: Aggregator, restoring snapshot: WindowOperatorSnapshot<Key, Partial>) {
        self.init(spec: spec, aggregator: aggregator, watermark: snapshot.watermark)
        lateRecordCount = snapshot.lateRecordCount
        nextEarlyFiring = snapshot.nextEarlyFiring
        let lateness = spec.allowedLateness
        let keep = keepsDirtyPanes
        if spec.assigner.isMerging {
            for p in snapshot.panes {
                let timer = p.window.end <= watermark ? p.window.end.saturatingAdd(lateness) : p.window.end
                let pane = SessionPane(window: p.window, partial: p.partial, isDirty: p.isDirty,
                                       hasFiredOnTime: p.hasFiredOnTime, isEmitted: p.isEmitted, timerAt: timer)
                var state = sessions.keys[p.key] ?? SessionKeyState()
                let at = state.sessions.firstIndex { $0.window.start > p.window.start } ?? state.sessions.count
                state.sessions.insert(pane, at: at)
                if keep && p.isDirty && !state.isQueued {
                    state.isQueued = true
                    sessions.dirty.append(p.key)
                }
                sessions.keys[p.key] = state
                sessions.timers.push(timer, p.key)
            }
        } else {
            for p in snapshot.panes {
                var pane: AlignedPane<Key, Partial>
                if let existing = aligned.panes[p.window] {
                    pane = existing
                } else {
                    pane = AlignedPane()
                    pane.hasFiredOnTime = p.hasFiredOnTime
                    aligned.timers.push(p.hasFiredOnTime ? p.window.end.saturatingAdd(lateness) : p.window.end, p.window)
                }
                let g = pane.groups.count
                pane.index[p.key] = g
                pane.groups.append(PaneGroup(key: p.key, partial: p.partial, isDirty: p.isDirty))
                aligned.panes[p.window] = pane
                if keep && p.isDirty { aligned.dirty.append(AlignedGroupRef(window: p.window, group: g)) }
            }
        }
    }
}
