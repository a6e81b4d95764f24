/// Test kit: a deterministic driver that runs a ``WatermarkTracker`` and a
/// ``WindowOperator`` over an ``InMemorySource`` into an ``InMemoryWindowSink``, batch by
/// batch, on a ``ManualClock``.
///
/// For each batch it (1) moves the clock to the batch's arrival time, (2) ticks the
/// tracker (idle partitions) and passes any watermark advance to the operator, (3) ticks
/// the operator's processing time (early firings), (4) gives the operator the records,
/// judged against the watermark before the batch, and (5) feeds their event times to the
/// tracker and passes its advance on. ``finish()`` is the end of input: a final watermark
/// of `Int64.max` fires every window.
public struct WindowTestDriver<Key: Hashable & Sendable, Aggregator: WindowAggregator> {
    /// The value type of records.
    public typealias Value = Aggregator.Input
    /// What a snapshot of the driver holds: operator, tracker, clock and source position.
    public struct Checkpoint {
        /// The window operator's state.
        public var window: WindowOperatorSnapshot<Key, Aggregator.Partial>
        /// The watermark tracker's state.
        public var watermarks: WatermarkTracker<Int>.Snapshot
        /// The clock.
        public var clock: ManualClock
        /// The source position (offset) at snapshot time.
        public var position: Int
    }

    /// The window definition.
    public let spec: WindowSpec
    /// The aggregator.
    public let aggregator: Aggregator
    /// The watermark policy.
    public let policy: WatermarkPolicy
    /// The processing-time clock.
    public private(set) var clock: ManualClock
    /// The watermark tracker, over partitions numbered from 0.
    public private(set) var tracker: WatermarkTracker<Int>
    /// The window operator under test.
    public private(set) var window: WindowOperator<Key, Aggregator>
    /// The input.
    public var source: InMemorySource<Key, Value>
    /// The output.
    public private(set) var sink = InMemoryWindowSink<Key, Value, Aggregator.Partial>()
    /// For each delivered batch, the watermark its records were judged against.
    public private(set) var watermarkAtBatch: [Int64] = []
    /// How many snapshot-then-restore round trips ran.
    public private(set) var restores = 0

    private var output = WindowOutput<Key, Value, Aggregator.Partial>()

    /// A driver over `source` with partitions `0..<partitionCount`, all registered at `start`.
    public init(
        spec: WindowSpec, aggregator: Aggregator, policy: WatermarkPolicy, partitionCount: Int,
        source: InMemorySource<Key, Value>, start: Int64 = 0
    ) {
        self.spec = spec
        self.aggregator = aggregator
        self.policy = policy
        self.clock = ManualClock(now: start)
        self.tracker = WatermarkTracker(policy: policy, partitions: Array(0..<partitionCount), now: start)
        self.window = WindowOperator(spec: spec, aggregator: aggregator)
        self.source = source
    }

    /// Delivers the next batch; returns `false` when the source is exhausted.
    @discardableResult
    public mutating func step() -> Bool {
        guard let batch = source.poll() else { return false }
        clock.advance(to: batch.arrival)
        let now = clock.now
        if let w = tracker.tick(now: now) { window.advanceWatermark(to: w, into: &output) }
        window.advanceProcessingTime(to: now, into: &output)
        watermarkAtBatch.append(window.watermark)
        if !batch.records.isEmpty {
            window.process(batch.records, into: &output)
            if let w = tracker.observe(batch.records.lazy.map(\.eventTime), from: batch.partition, now: now) {
                window.advanceWatermark(to: w, into: &output)
            }
        }
        flush()
        return true
    }

    /// Moves the clock to `time` without data: idle detection and early firings only.
    public mutating func tick(to time: Int64) {
        clock.advance(to: time)
        if let w = tracker.tick(now: clock.now) { window.advanceWatermark(to: w, into: &output) }
        window.advanceProcessingTime(to: clock.now, into: &output)
        flush()
    }

    /// Delivers every remaining batch; with `restoringEvery` set, takes a snapshot and
    /// restores from it after every that many batches.
    public mutating func run(restoringEvery interval: Int? = nil) {
        var delivered = 0
        while step() {
            delivered += 1
            if let interval, delivered % interval == 0 { restore(from: checkpoint()) }
        }
    }

    /// End of input: the watermark jumps to `Int64.max`, firing and purging every window.
    public mutating func finish() {
        window.advanceWatermark(to: .max, into: &output)
        flush()
    }

    /// The driver's state (not the sink's), as a task checkpoint would store it.
    public func checkpoint() -> Checkpoint {
        Checkpoint(window: window.snapshot(), watermarks: tracker.snapshot(), clock: clock, position: source.position)
    }

    /// Replaces the operator and tracker with fresh instances restored from `checkpoint`,
    /// and rewinds the clock and source to it. The sink is kept: it holds what was emitted.
    public mutating func restore(from checkpoint: Checkpoint) {
        window = WindowOperator(spec: spec, aggregator: aggregator, restoring: checkpoint.window)
        tracker = WatermarkTracker(policy: policy, restoring: checkpoint.watermarks)
        clock = checkpoint.clock
        source.position = checkpoint.position
        watermarkAtBatch.removeSubrange(min(checkpoint.position, watermarkAtBatch.count)...)
        restores += 1
    }

    private mutating func flush() {
        sink.apply(output)
        output.removeAll()
    }
}
