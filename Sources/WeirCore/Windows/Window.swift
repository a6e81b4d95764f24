/// A window of event time: the half-open interval `[start, end)` in milliseconds.
///
/// Windows order by `end`, then `start`: the order in which a watermark completes them.
public struct Window: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first event time inside the window.
    public var start: Int64
    /// The first event time after the window.
    public var end: Int64

    /// The window `[start, end)`.
    @inlinable
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Whether `eventTime` falls inside the window.
    @inlinable
    public func contains(_ eventTime: Int64) -> Bool { start <= eventTime && eventTime < end }

    /// Whether the two windows share an instant.
    @inlinable
    public func overlaps(_ other: Window) -> Bool { start < other.end && other.start < end }

    /// Orders by end, then start: the order in which a watermark completes windows.
    @inlinable
    public static func < (a: Window, b: Window) -> Bool { (a.end, a.start) < (b.end, b.start) }

    /// A one-line summary for logs and test failures.
    public var description: String { "[\(start), \(end))" }
}

extension Int64 {
    /// `self + other`, clamped to the representable range instead of trapping.
    @inlinable
    internal func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// The largest multiple of `step` that is at most `self` (floor, also for negatives).
    @inlinable
    internal func flooredToMultiple(of step: Int64) -> Int64 {
        let r = self % step
        return r < 0 ? self - r - step : self - r
    }
}
