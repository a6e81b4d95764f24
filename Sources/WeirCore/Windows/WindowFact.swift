/// One fact a ``WindowOperator`` observes: a batch of records, a watermark advance, or a
/// processing-time tick.
public enum WindowFact<Key: Hashable & Sendable, Value> {
    /// Records that arrived together, judged against the watermark before the batch.
    case records([WindowRecord<Key, Value>])
    /// The task watermark advanced to this event time.
    case watermark(Int64)
    /// Processing time advanced to this instant (milliseconds, from the task's clock).
    case processingTime(Int64)
}

extension WindowFact: Sendable where Value: Sendable {}
