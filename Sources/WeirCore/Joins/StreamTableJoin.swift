/// Whether a stream record with no table row is dropped or emitted with a `nil` row.
public enum StreamTableJoinMode: String, Sendable, Hashable, CaseIterable {
    /// Emit only records whose key has a row.
    case inner
    /// Emit every record, with `nil` when its key has no row.
    case leftOuter = "left_outer"
}

/// One output record of a ``StreamTableJoin``: the stream record and the table's value for
/// its key when it was processed.
public struct StreamTableJoinResult<Key: Hashable & Sendable, StreamValue, TableValue> {
    /// The shared key.
    public var key: Key
    /// The stream record's event time, ms.
    public var timestamp: Int64
    /// The stream record's value.
    public var value: StreamValue
    /// The table's value for `key`; `nil` only in ``StreamTableJoinMode/leftOuter`` mode.
    public var tableValue: TableValue?

    /// A result.
    @inlinable
    public init(key: Key, timestamp: Int64, value: StreamValue, tableValue: TableValue?) {
        self.key = key
        self.timestamp = timestamp
        self.value = value
        self.tableValue = tableValue
    }
}

/// A stream joined against a table materialized from a changelog: each stream record is
/// joined with the table's value for its key at the time it is processed.
///
/// The caller feeds changelog batches and stream batches in the order it wants them to
/// take effect (for co-partitioned topics, typically by offset or event time). One
/// instance belongs to one task; it needs no locks.
public struct StreamTableJoin<Key: Hashable & Sendable, StreamValue, TableValue> {
    /// Inner or left outer.
    public let mode: StreamTableJoinMode
    /// The materialized table.
    public var table: ChangelogTable<Key, TableValue> { rows }
    /// Inner-mode stream records dropped because their key had no row, in total.
    public var unmatchedCount: Int { counters.unmatched }
    /// Changelog entries applied, in total.
    public var changelogCount: Int { counters.changelog }

    @usableFromInline internal var counters = StreamTableJoinCounters()
    @usableFromInline internal var rows: ChangelogTable<Key, TableValue>

    /// A join over an empty table.
    public init(mode: StreamTableJoinMode, table: ChangelogTable<Key, TableValue> = ChangelogTable()) {
        self.mode = mode
        self.rows = table
    }

    /// Applies a batch of changelog entries to the table, in order.
    @inlinable
    public mutating func applyChangelog(_ batch: some Sequence<ChangelogRecord<Key, TableValue>>) {
        for change in batch {
            rows.apply(change)
            counters.changelog &+= 1
        }
    }

    /// Joins a batch of stream records with the table's current rows.
    ///
    /// - Complexity: O(1) on average per record.
    @inlinable
    public mutating func processStream(
        _ batch: some Sequence<JoinRecord<Key, StreamValue>>,
        into output: inout [StreamTableJoinResult<Key, StreamValue, TableValue>]
    ) {
        let keepUnmatched = mode == .leftOuter
        for record in batch {
            let row = rows[record.key]
            if row == nil && !keepUnmatched {
                counters.unmatched &+= 1
                continue
            }
            output.append(StreamTableJoinResult(key: record.key, timestamp: record.timestamp, value: record.value, tableValue: row))
        }
    }

    /// A copy of the table for a checkpoint.
    public func snapshot() -> ChangelogTableSnapshot<Key, TableValue> { rows.snapshot() }

    /// A join whose table is restored from `snapshot`.
    public init(mode: StreamTableJoinMode, restoring snapshot: ChangelogTableSnapshot<Key, TableValue>) throws(JoinSnapshotError) {
        self.init(mode: mode, table: try ChangelogTable(restoring: snapshot))
    }
}

/// The counters of a ``StreamTableJoin``.
@usableFromInline
internal struct StreamTableJoinCounters: Sendable, Equatable {
    @usableFromInline var unmatched = 0
    @usableFromInline var changelog = 0

    @inlinable
    init() {}
}

extension StreamTableJoinResult: Sendable where StreamValue: Sendable, TableValue: Sendable {}
extension StreamTableJoinResult: Equatable where StreamValue: Equatable, TableValue: Equatable {}
extension StreamTableJoin: Sendable where StreamValue: Sendable, TableValue: Sendable {}
