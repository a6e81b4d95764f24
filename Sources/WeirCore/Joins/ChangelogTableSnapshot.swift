/// A point-in-time copy of a ``ChangelogTable``'s rows, for a checkpoint; it is `Codable`
/// when its key and value are, so a checkpoint store can encode it.
public struct ChangelogTableSnapshot<Key: Hashable & Sendable, Value> {
    /// The snapshot layout version; bumped when the layout changes.
    public static var currentVersion: Int { 1 }

    /// One row.
    public struct Row {
        /// The key.
        public var key: Key
        /// Its value.
        public var value: Value

        /// A row.
        public init(key: Key, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The layout version this snapshot was written with.
    public var version: Int
    /// The live rows, in no particular order.
    public var rows: [Row]

    /// A snapshot of `rows`.
    public init(version: Int = Self.currentVersion, rows: [Row]) {
        self.version = version
        self.rows = rows
    }
}

/// Why a snapshot could not be restored.
public struct JoinSnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, CaseIterable {
        /// The snapshot was written by a layout this version does not read.
        case unsupportedVersion = "join.snapshot_unsupported_version"
        /// The snapshot holds the same key twice.
        case duplicateKey = "join.snapshot_duplicate_key"
        /// An interval join snapshot taken with other bounds than the join restoring it.
        case boundsChanged = "join.snapshot_bounds_changed"
    }

    /// What is wrong.
    public var code: Code
    /// Details, for people.
    public var detail: String

    /// An error of kind `code`.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }
}

extension ChangelogTable {
    /// A copy of the rows for a checkpoint.
    ///
    /// - Complexity: O(n).
    public func snapshot() -> ChangelogTableSnapshot<Key, Value> {
        ChangelogTableSnapshot(rows: rows.map { ChangelogTableSnapshot.Row(key: $0.key, value: $0.value) })
    }

    /// The table a snapshot was taken of.
    ///
    /// - Complexity: O(n).
    public init(restoring snapshot: ChangelogTableSnapshot<Key, Value>) throws(JoinSnapshotError) {
        guard snapshot.version == ChangelogTableSnapshot<Key, Value>.currentVersion else {
            throw JoinSnapshotError(.unsupportedVersion, "table snapshot version \(snapshot.version)")
        }
        var rows: [Key: Value] = [:]
        rows.reserveCapacity(snapshot.rows.count)
        for row in snapshot.rows {
            guard rows.updateValue(row.value, forKey: row.key) == nil else {
                throw JoinSnapshotError(.duplicateKey, "key \(row.key) appears twice")
            }
        }
        self.init()
        self.rows = rows
    }
}

extension ChangelogTableSnapshot.Row: Sendable where Value: Sendable {}
extension ChangelogTableSnapshot.Row: Equatable where Value: Equatable {}
extension ChangelogTableSnapshot.Row: Codable where Key: Codable, Value: Codable {}
extension ChangelogTableSnapshot: Sendable where Value: Sendable {}
extension ChangelogTableSnapshot: Equatable where Value: Equatable {}
extension ChangelogTableSnapshot: Codable where Key: Codable, Value: Codable {}
