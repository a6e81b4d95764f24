/// The time bounds of an interval join: a left record `a` joins a right record `b` of the
/// same key when `b.ts - before <= a.ts <= b.ts + after` (both ends inclusive).
///
/// A record is late, and goes to the late output, when some of its partners may already
/// have been evicted: for a left record when `a.ts <= watermark - leftSlack`, for a right
/// record when `b.ts <= watermark - rightSlack`. With non-negative bounds, `leftSlack` is
/// `before + allowedLateness` and `rightSlack` is `after + allowedLateness`: a record may
/// arrive behind the watermark by as much as the join's bound on its side. Buffered
/// records are evicted once `ts <= watermark - retention`.
public struct IntervalJoinBounds: Sendable, Hashable, CustomStringConvertible {
    /// The largest magnitude accepted for a bound or the lateness (about 35 years in ms), so
    /// that derived horizons never overflow.
    public static let maximumMagnitude: Int64 = 1 << 40

    /// X: how far a left record may precede its right partner, in ms.
    public let before: Int64
    /// Y: how far a left record may follow its right partner, in ms.
    public let after: Int64
    /// Extra time, in ms, that records behind the watermark are still accepted.
    public let allowedLateness: Int64

    /// Validated bounds; throws when the interval is empty, lateness is negative or a value
    /// exceeds ``maximumMagnitude``.
    public init(before: Int64, after: Int64, allowedLateness: Int64 = 0) throws(JoinConfigurationError) {
        for (name, value) in [("before", before), ("after", after), ("allowed lateness", allowedLateness)]
        where value > Self.maximumMagnitude || value < -Self.maximumMagnitude {
            throw JoinConfigurationError(.boundTooLarge, "\(name) is \(value) ms; at most ±\(Self.maximumMagnitude) ms")
        }
        guard after >= -before else {
            throw JoinConfigurationError(.emptyInterval, "a.ts in [b.ts - \(before), b.ts + \(after)] is empty")
        }
        guard allowedLateness >= 0 else {
            throw JoinConfigurationError(.negativeLateness, "allowed lateness is \(allowedLateness) ms")
        }
        self.before = before
        self.after = after
        self.allowedLateness = allowedLateness
    }

    /// How long behind the watermark buffered records are kept, in ms.
    @inlinable
    public var retention: Int64 { max(before, 0) + max(after, 0) + allowedLateness }

    /// A left record is late when `ts <= watermark - leftSlack`.
    @inlinable
    public var leftSlack: Int64 { retention - after }

    /// A right record is late when `ts <= watermark - rightSlack`.
    @inlinable
    public var rightSlack: Int64 { retention - before }

    /// Whether a left record at `left` and a right record at `right` join.
    @inlinable
    public func matches(left: Int64, right: Int64) -> Bool {
        left >= JoinTime.minus(right, before) && left <= JoinTime.plus(right, after)
    }

    /// `a.ts in [b.ts - X, b.ts + Y]`, with the lateness.
    public var description: String {
        "a.ts in [b.ts - \(before) ms, b.ts + \(after) ms], allowed lateness \(allowedLateness) ms"
    }
}

/// Saturating time arithmetic for join horizons.
@usableFromInline
internal enum JoinTime {
    /// `a - b`, clamped to the representable range.
    @inlinable
    static func minus(_ a: Int64, _ b: Int64) -> Int64 {
        let (result, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b > 0 ? .min : .max) : result
    }

    /// `a + b`, clamped to the representable range.
    @inlinable
    static func plus(_ a: Int64, _ b: Int64) -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : result
    }
}
