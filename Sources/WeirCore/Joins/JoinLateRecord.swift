/// Which input of a two-input join a record came from.
public enum JoinSide: String, Sendable, Hashable, CaseIterable {
    /// The first input (`a` in the interval predicate).
    case left
    /// The second input (`b` in the interval predicate).
    case right
}

/// Why a join refused a record.
public struct JoinLateReason: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier, suitable for a dead-letter `reason_code` column.
    public enum Code: String, Sendable, CaseIterable {
        /// The record was further behind the watermark than the join's bound on its side
        /// allows, so some of its partners may already have been evicted.
        case behindJoinHorizon = "join_behind_horizon"
    }

    /// The kind of refusal.
    public var code: Code
    /// The input the record came from.
    public var side: JoinSide
    /// The record's event time, ms.
    public var timestamp: Int64
    /// The task watermark when the record arrived, ms.
    public var watermark: Int64
    /// How far behind the watermark a record of this side may be, ms.
    public var slack: Int64

    /// A reason.
    @inlinable
    public init(code: Code, side: JoinSide, timestamp: Int64, watermark: Int64, slack: Int64) {
        self.code = code
        self.side = side
        self.timestamp = timestamp
        self.watermark = watermark
        self.slack = slack
    }

    /// `code: ...` with the numbers.
    public var description: String {
        "\(code.rawValue): \(side.rawValue) record at \(timestamp) ms is at or behind watermark \(watermark) ms - \(slack) ms"
    }
}

/// A record sent to a join's late output, with its reason.
public struct JoinLateRecord<Key: Hashable & Sendable, Left, Right> {
    /// The refused record, on the side it arrived.
    public enum Record {
        /// A left record.
        case left(JoinRecord<Key, Left>)
        /// A right record.
        case right(JoinRecord<Key, Right>)
    }

    /// The refused record.
    public var record: Record
    /// Why it was refused.
    public var reason: JoinLateReason

    /// A late record.
    @inlinable
    public init(record: Record, reason: JoinLateReason) {
        self.record = record
        self.reason = reason
    }
}

extension JoinLateRecord.Record: Sendable where Left: Sendable, Right: Sendable {}
extension JoinLateRecord.Record: Equatable where Left: Equatable, Right: Equatable {}
extension JoinLateRecord: Sendable where Left: Sendable, Right: Sendable {}
extension JoinLateRecord: Equatable where Left: Equatable, Right: Equatable {}
