/// One entry of a changelog stream: the new value of a key, or a tombstone (`nil`) that
/// deletes it.
public struct ChangelogRecord<Key: Hashable & Sendable, Value> {
    /// The table key.
    public var key: Key
    /// The key's new value; `nil` deletes the key.
    public var value: Value?

    /// An upsert (or a tombstone when `value` is `nil`).
    @inlinable
    public init(key: Key, value: Value?) {
        self.key = key
        self.value = value
    }

    /// A tombstone for `key`.
    @inlinable
    public static func tombstone(_ key: Key) -> Self { Self(key: key, value: nil) }

    /// Whether this entry deletes its key.
    @inlinable
    public var isTombstone: Bool { value == nil }
}

extension ChangelogRecord: Sendable where Value: Sendable {}
extension ChangelogRecord: Equatable where Value: Equatable {}
