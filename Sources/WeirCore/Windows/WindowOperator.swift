/// A window operator as a pure state machine: it takes facts (a batch of records, a
/// watermark advance, a processing-time tick) and appends the resulting upserts,
/// retractions and late records to a ``WindowOutput``. It does no I/O and reads no clock.
///
/// Windows are assigner + trigger + aggregate (``WindowSpec`` and a ``WindowAggregator``).
/// Results are upserts keyed by (window, group key). A record whose windows have all
/// closed (the watermark is past `end + allowedLateness`; for sessions, the record is more
/// than the allowed lateness behind the watermark) goes to the late output with its reason
/// and is counted in ``lateRecordCount``; it is never dropped silently. A hopping or
/// cumulative record with some windows closed and some open is added to the open ones
/// only (the closed ones already emitted their final row), as in Flink.
///
/// Emission order: within a watermark advance, windows in end order (aligned kinds) or
/// keys in the order of their earliest due timer (sessions); within a window, groups in
/// first-arrival order. The sink must apply emissions in order (a `retract` precedes the
/// `upsert` of the merged session). Upserts are keyed by the whole window (start and
/// end): cumulative windows share a start, and a session keeps its start as it grows.
///
/// One instance belongs to one task. Generic and `@inlinable` on the per-record path so
/// that it specialises for the caller's key and aggregate; records come in batches.
///
/// - Complexity: per record O(windows per record) dictionary updates (aligned kinds) or
///   O(log sessions of the key) plus merges (sessions); per watermark advance
///   O(log timers) per completed window or session plus one emission per group.
public struct WindowOperator<Key: Hashable & Sendable, Aggregator: WindowAggregator>: Sendable {
    /// The value type the aggregator folds in.
    public typealias Input = Aggregator.Input
    /// The per-pane partial and result type.
    public typealias Partial = Aggregator.Partial
    /// The output buffer type this operator appends to.
    public typealias Output = WindowOutput<Key, Input, Partial>

    /// Assigner, trigger and allowed lateness.
    public let spec: WindowSpec
    /// Folds record values into partials.
    public let aggregator: Aggregator
    /// The last watermark observed (`Int64.min` at first).
    public internal(set) var watermark: Int64
    /// Records sent to the late output since the operator started (kept across snapshots).
    public internal(set) var lateRecordCount: Int
    /// The processing time of the next early firing, once the first tick scheduled it.
    public internal(set) var nextEarlyFiring: Int64?

    @usableFromInline internal var aligned = AlignedPanes<Key, Partial>()
    @usableFromInline internal var sessions = SessionPanes<Key, Partial>()

    /// An operator with no state, at watermark `watermark`.
    public init(spec: WindowSpec, aggregator: Aggregator, watermark: Int64 = .min) {
        self.spec = spec
        self.aggregator = aggregator
        self.watermark = watermark
        self.lateRecordCount = 0
        self.nextEarlyFiring = nil
    }

    /// Applies one fact.
    public mutating func handle(_ fact: WindowFact<Key, Input>, into output: inout Output) {
        switch fact {
        case .records(let batch): process(batch, into: &output)
        case .watermark(let w): advanceWatermark(to: w, into: &output)
        case .processingTime(let now): advanceProcessingTime(to: now, into: &output)
        }
    }

    /// Adds a batch of records, judged against the current watermark; then fires the panes
    /// the trigger wants fired after an update (late updates, every-update triggers).
    ///
    /// - Complexity: O(n · windows per record) for aligned kinds.
    @inlinable
    public mutating func process<C: Collection>(_ records: C, into output: inout Output)
    where C.Element == WindowRecord<Key, Input> {
        if spec.assigner.isMerging {
            let start = sessions.dirty.count
            for record in records { addToSession(record, into: &output) }
            finishSessionBatch(dirtyFrom: start, into: &output)
        } else {
            let start = aligned.dirty.count
            for record in records { addToAligned(record, into: &output) }
            finishAlignedBatch(dirtyFrom: start, into: &output)
        }
    }

    /// Advances the watermark (an older or equal one is ignored) and fires, re-fires and
    /// purges the panes it completes.
    ///
    /// - Complexity: O(log timers) per due timer plus one emission per fired group.
    public mutating func advanceWatermark(to newWatermark: Int64, into output: inout Output) {
        guard newWatermark > watermark else { return }
        watermark = newWatermark
        if spec.assigner.isMerging {
            fireDueSessions(into: &output)
        } else {
            fireDueAlignedWindows(into: &output)
        }
    }

    /// Advances processing time to `now`: with a periodic trigger, fires every pane updated
    /// since its last emission once `now` reaches the next firing time.
    ///
    /// - Complexity: O(dirty panes) when it fires, O(1) otherwise.
    public mutating func advanceProcessingTime(to now: Int64, into output: inout Output) {
        guard let next = nextEarlyFiring else {
            nextEarlyFiring = spec.trigger.nextProcessingTimeFiring(after: now)
            return
        }
        guard now >= next else { return }
        nextEarlyFiring = spec.trigger.nextProcessingTimeFiring(after: now)
        if spec.assigner.isMerging {
            fireDirtySessionsOnProcessingTime(into: &output)
        } else {
            fireDirtyAlignedOnProcessingTime(into: &output)
        }
    }

    /// The number of open panes (window and key pairs) held in state.
    ///
    /// - Complexity: O(windows) for aligned kinds, O(keys) for sessions.
    public var openPaneCount: Int {
        if spec.assigner.isMerging { return sessions.keys.values.reduce(0) { $0 + $1.sessions.count } }
        return aligned.panes.values.reduce(0) { $0 + $1.groups.count }
    }

    /// Sends `record` to the late output and counts it.
    @usableFromInline
    internal mutating func refuse(_ record: WindowRecord<Key, Input>, latestEnd: Int64, into output: inout Output) {
        lateRecordCount += 1
        let reason = LateRecordReason(
            code: .windowClosed, watermark: watermark, allowedLateness: spec.allowedLateness, latestWindowEnd: latestEnd)
        output.late.append(LateRecord(record: record, reason: reason))
    }

    /// Whether the trigger keeps dirty panes listed for a processing-time firing.
    @inlinable
    internal var keepsDirtyPanes: Bool {
        if case .processingTime = spec.trigger.early { return true }
        return false
    }
}
