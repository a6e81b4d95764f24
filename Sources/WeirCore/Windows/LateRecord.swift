/// Why a record was refused by a window operator: every window it belongs to had closed.
public struct LateRecordReason: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier, suitable for a dead-letter `reason_code` column.
    public enum Code: String, Sendable, CaseIterable {
        /// Every window containing the record was past `end + allowedLateness` (for a session:
        /// the record was more than the allowed lateness behind the watermark).
        case windowClosed = "window_closed"
    }

    /// The kind of refusal.
    public var code: Code
    /// The task watermark when the record arrived.
    public var watermark: Int64
    /// The allowed lateness in force.
    public var allowedLateness: Int64
    /// The latest `end` among the record's windows (for sessions, its own window's end).
    public var latestWindowEnd: Int64

    /// A reason.
    @inlinable
    public init(code: Code, watermark: Int64, allowedLateness: Int64, latestWindowEnd: Int64) {
        self.code = code
        self.watermark = watermark
        self.allowedLateness = allowedLateness
        self.latestWindowEnd = latestWindowEnd
    }

    /// A one-line summary for logs and test failures.
    public var description: String {
        "\(code.rawValue): watermark \(watermark) ms is past window end \(latestWindowEnd) ms + allowed lateness \(allowedLateness) ms"
    }
}

/// A record sent to the late output, with its reason.
public struct LateRecord<Key: Hashable & Sendable, Value> {
    /// The refused record.
    public var record: WindowRecord<Key, Value>
    /// Why it was refused.
    public var reason: LateRecordReason

    /// A late record.
    @inlinable
    public init(record: WindowRecord<Key, Value>, reason: LateRecordReason) {
        self.record = record
        self.reason = reason
    }
}

extension LateRecord: Sendable where Value: Sendable {}
extension LateRecord: Equatable where Value: Equatable {}
