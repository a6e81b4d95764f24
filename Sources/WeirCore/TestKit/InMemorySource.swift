/// Test kit: one batch as an in-memory source delivers it: records from one partition,
/// arriving at one processing time.
public struct SourceBatch<Key: Hashable & Sendable, Value> {
    /// The partition the records come from.
    public var partition: Int
    /// Processing time at which the batch arrives (the driver's clock moves here first).
    public var arrival: Int64
    /// The records, in arrival order (their event times may be out of order). An empty
    /// batch is a clock tick with no data.
    public var records: [WindowRecord<Key, Value>]

    /// A batch.
    public init(partition: Int, arrival: Int64, records: [WindowRecord<Key, Value>]) {
        self.partition = partition
        self.arrival = arrival
        self.records = records
    }
}

extension SourceBatch: Sendable where Value: Sendable {}

/// Test kit: an in-memory source, a queue of batches consumed in order with a position
/// that a snapshot can save (like a Kafka offset).
public struct InMemorySource<Key: Hashable & Sendable, Value> {
    /// Every batch, delivered and not.
    public private(set) var batches: [SourceBatch<Key, Value>]
    /// The index of the next batch to deliver: the source's offset.
    public var position: Int

    /// A source that will deliver `batches` in order.
    public init(_ batches: [SourceBatch<Key, Value>]) {
        self.batches = batches
        self.position = 0
    }

    /// Appends a batch to deliver later.
    public mutating func append(_ batch: SourceBatch<Key, Value>) { batches.append(batch) }

    /// The next batch, or `nil` at the end.
    public mutating func poll() -> SourceBatch<Key, Value>? {
        guard position < batches.count else { return nil }
        defer { position += 1 }
        return batches[position]
    }

    /// Whether every batch was delivered.
    public var isExhausted: Bool { position >= batches.count }
}

extension InMemorySource: Sendable where Value: Sendable {}
