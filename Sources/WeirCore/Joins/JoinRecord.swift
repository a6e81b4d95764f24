/// One record as a join sees it: its join key, its event time and its value.
public struct JoinRecord<Key: Hashable & Sendable, Value> {
    /// The join key; records join only with records of an equal key.
    public var key: Key
    /// Event time, milliseconds since the epoch.
    public var timestamp: Int64
    /// The payload carried into the join's output.
    public var value: Value

    /// A record.
    @inlinable
    public init(key: Key, timestamp: Int64, value: Value) {
        self.key = key
        self.timestamp = timestamp
        self.value = value
    }
}

extension JoinRecord: Sendable where Value: Sendable {}
extension JoinRecord: Equatable where Value: Equatable {}
extension JoinRecord: Hashable where Value: Hashable {}
extension JoinRecord: Codable where Key: Codable, Value: Codable {}
