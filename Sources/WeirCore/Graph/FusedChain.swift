/// A chain of stateless steps (map, filter, flatMap) composed into one closure that runs
/// over a whole batch, appending to an output buffer.
///
/// Composition happens once, when the graph is built. Per record the chain makes one
/// direct call per step through non-escaping continuations: no `async` hop, no existential
/// box and no allocation besides the growth of the output buffer.
public struct FusedChain<Input, Output> {
    /// One record through every step; `emit` receives each output (zero or more).
    public typealias Step = (Input, (Output) -> Void) -> Void

    /// The composed per-record step.
    @usableFromInline internal let step: Step
    /// The names of the fused steps, in order (for describing the graph).
    public let stepNames: [String]

    /// A chain made of one step.
    @inlinable
    public init(name: String, step: @escaping Step) {
        self.step = step
        self.stepNames = [name]
    }

    @inlinable
    internal init(step: @escaping Step, stepNames: [String]) {
        self.step = step
        self.stepNames = stepNames
    }

    /// Runs the chain over `batch`, appending every output to `output`.
    ///
    /// - Complexity: O(n) calls per step for a batch of n.
    @inlinable
    public func run(_ batch: some Sequence<Input>, into output: inout [Output]) {
        let step = self.step
        for record in batch {
            step(record) { output.append($0) }
        }
    }

    /// The whole chain as one batch closure: `[Input]` in, appending to an output buffer.
    public var batchClosure: ([Input], inout [Output]) -> Void {
        let step = self.step
        return { batch, output in
            for record in batch {
                step(record) { output.append($0) }
            }
        }
    }
}

extension FusedChain where Input == Output {
    /// The empty chain: every record passes unchanged.
    @inlinable
    public static var identity: FusedChain<Input, Input> {
        FusedChain(step: { record, emit in emit(record) }, stepNames: [])
    }
}

extension FusedChain {
    /// This chain followed by `transform`.
    @inlinable
    public func map<Next>(_ name: String = "map", _ transform: @escaping (Output) -> Next) -> FusedChain<Input, Next> {
        let step = self.step
        return FusedChain<Input, Next>(step: { record, emit in
            step(record) { emit(transform($0)) }
        }, stepNames: stepNames + [name])
    }

    /// This chain keeping only the outputs for which `isIncluded` holds.
    @inlinable
    public func filter(_ name: String = "filter", _ isIncluded: @escaping (Output) -> Bool) -> FusedChain<Input, Output> {
        let step = self.step
        return FusedChain(step: { record, emit in
            step(record) { if isIncluded($0) { emit($0) } }
        }, stepNames: stepNames + [name])
    }

    /// This chain followed by `expand`, which emits zero or more records per output by
    /// calling its continuation (no intermediate collection).
    @inlinable
    public func flatMap<Next>(
        _ name: String = "flatMap", _ expand: @escaping (Output, (Next) -> Void) -> Void
    ) -> FusedChain<Input, Next> {
        let step = self.step
        return FusedChain<Input, Next>(step: { record, emit in
            step(record) { expand($0, emit) }
        }, stepNames: stepNames + [name])
    }
}
