/// Why a join configuration was refused.
///
/// Callers match on ``code``, whose raw values are stable and may be logged or stored.
public struct JoinConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, CaseIterable {
        /// The interval `[b.ts - X, b.ts + Y]` is empty: `Y < -X`.
        case emptyInterval = "join.empty_interval"
        /// An allowed lateness below zero.
        case negativeLateness = "join.negative_lateness"
        /// A bound or lateness beyond ``IntervalJoinBounds/maximumMagnitude``.
        case boundTooLarge = "join.bound_too_large"
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

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }
}
