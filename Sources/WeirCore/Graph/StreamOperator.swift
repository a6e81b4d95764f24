/// The operator contract: a typed input and output and one required ``process(_:into:)``
/// over a batch. The watermark and processing-time hooks have default implementations
/// that do nothing, so a stateless operator implements only `process`.
///
/// One instance belongs to one task, so it needs no locks.
public protocol StreamOperator<Input, Output> {
    /// The element type consumed.
    associatedtype Input
    /// The element type produced.
    associatedtype Output

    /// Processes one batch, appending its outputs to `output`.
    mutating func process(_ batch: [Input], into output: inout [Output])

    /// The task watermark moved to `watermark` (ms); an operator may emit what it closes.
    mutating func advanceWatermark(to watermark: Int64, into output: inout [Output])

    /// The processing clock reads `now` (ms); an operator may emit early results.
    mutating func processingTimeAdvanced(to now: Int64, into output: inout [Output])
}

extension StreamOperator {
    /// Does nothing: a stateless operator has nothing to close.
    @inlinable
    public mutating func advanceWatermark(to watermark: Int64, into output: inout [Output]) {}

    /// Does nothing: a stateless operator has no timers.
    @inlinable
    public mutating func processingTimeAdvanced(to now: Int64, into output: inout [Output]) {}
}

extension FusedChain: StreamOperator {
    /// Runs the fused steps over `batch` (see ``run(_:into:)``).
    @inlinable
    public func process(_ batch: [Input], into output: inout [Output]) {
        run(batch, into: &output)
    }
}
