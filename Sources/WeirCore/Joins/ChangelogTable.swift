/// A table materialized from a changelog stream: the latest value per key, where a
/// tombstone deletes the key.
///
/// Applying a changelog entry is a small state machine: it returns a ``TableChange`` that
/// says what the entry did, so callers can count or forward it without looking again.
public struct ChangelogTable<Key: Hashable & Sendable, Value> {
    @usableFromInline internal var rows: [Key: Value]

    /// An empty table.
    @inlinable
    public init() { rows = [:] }

    /// The number of live keys.
    @inlinable
    public var count: Int { rows.count }

    /// The current value of `key`, or `nil` if it is absent or deleted.
    ///
    /// - Complexity: O(1) on average.
    @inlinable
    public subscript(key: Key) -> Value? { rows[key] }

    /// Applies one changelog entry.
    ///
    /// - Complexity: O(1) on average.
    @inlinable
    @discardableResult
    public mutating func apply(_ change: ChangelogRecord<Key, Value>) -> TableChange<Value> {
        if let value = change.value {
            if let previous = rows.updateValue(value, forKey: change.key) { return .updated(previous: previous) }
            return .inserted
        }
        if let previous = rows.removeValue(forKey: change.key) { return .deleted(previous: previous) }
        return .tombstoneForAbsentKey
    }

    /// Applies a batch of changelog entries in order.
    @inlinable
    public mutating func apply(_ batch: some Sequence<ChangelogRecord<Key, Value>>) {
        for change in batch { apply(change) }
    }

    /// Every live row, in no particular order.
    public var rowsInAnyOrder: [(key: Key, value: Value)] { rows.map { ($0.key, $0.value) } }
}

/// What applying a changelog entry did to a ``ChangelogTable``.
public enum TableChange<Value> {
    /// The key was absent and now has a value.
    case inserted
    /// The key's value replaced `previous`.
    case updated(previous: Value)
    /// A tombstone deleted the key, whose value was `previous`.
    case deleted(previous: Value)
    /// A tombstone for a key that was not in the table: nothing changed.
    case tombstoneForAbsentKey
}

extension TableChange: Sendable where Value: Sendable {}
extension TableChange: Equatable where Value: Equatable {}
extension ChangelogTable: Sendable where Value: Sendable {}
