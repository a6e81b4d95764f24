/// One record as a window operator sees it: its event time, group key and value.
public struct WindowRecord<Key: Hashable & Sendable, Value> {
    /// Event time, milliseconds since the epoch.
    public var eventTime: Int64
    /// The group key: results are per window and key.
    public var key: Key
    /// The value the aggregator folds in.
    public var value: Value

    /// A record.
    @inlinable
    public init(eventTime: Int64, key: Key, value: Value) {
        self.eventTime = eventTime
        self.key = key
        self.value = value
    }
}

extension WindowRecord: Sendable where Value: Sendable {}
extension WindowRecord: Equatable where Value: Equatable {}
extension WindowRecord: Hashable where Value: Hashable {}
