/// Why a window or watermark configuration was refused.
///
/// Callers match on ``code``, whose raw values are stable and may be logged or stored.
public struct WindowConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, CaseIterable {
        /// A window size that is not positive.
        case nonPositiveSize = "non_positive_size"
        /// A hopping window's slide that is not positive or exceeds its size.
        case invalidSlide = "invalid_slide"
        /// A cumulative window's step that is not positive or does not divide its size.
        case invalidStep = "invalid_step"
        /// A session gap that is not positive.
        case nonPositiveGap = "non_positive_gap"
        /// An allowed lateness below zero.
        case negativeLateness = "negative_lateness"
        /// An early-firing interval that is not positive.
        case nonPositiveInterval = "non_positive_interval"
        /// A watermark out-of-orderness bound below zero.
        case negativeOutOfOrderness = "negative_out_of_orderness"
        /// An idle timeout that is not positive.
        case nonPositiveIdleTimeout = "non_positive_idle_timeout"
    }

    /// What is wrong.
    public var code: Code
    /// The offending values, for people.
    public var detail: String

    /// An error of kind `code`.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A one-line summary for logs and test failures.
    public var description: String { "\(code.rawValue): \(detail)" }
}
