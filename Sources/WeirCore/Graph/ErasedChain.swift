/// A fused chain whose input type is hidden, so a ``Stream`` can extend the chain that
/// produced it. Used only while the graph is built, never per record.
@usableFromInline
internal protocol ErasedChain<Output> {
    associatedtype Input
    associatedtype Output

    /// The chain followed by a map step.
    func erasedMap<Next>(_ name: String, _ transform: @escaping (Output) -> Next) -> any ErasedChain<Next>
    /// The chain followed by a filter step.
    func erasedFilter(_ name: String, _ isIncluded: @escaping (Output) -> Bool) -> any ErasedChain<Output>
    /// The chain followed by a flatMap step.
    func erasedFlatMap<Next>(_ name: String, _ expand: @escaping (Output, (Next) -> Void) -> Void) -> any ErasedChain<Next>
}

extension FusedChain: ErasedChain {
    @usableFromInline
    func erasedMap<Next>(_ name: String, _ transform: @escaping (Output) -> Next) -> any ErasedChain<Next> {
        map(name, transform)
    }

    @usableFromInline
    func erasedFilter(_ name: String, _ isIncluded: @escaping (Output) -> Bool) -> any ErasedChain<Output> {
        filter(name, isIncluded)
    }

    @usableFromInline
    func erasedFlatMap<Next>(_ name: String, _ expand: @escaping (Output, (Next) -> Void) -> Void) -> any ErasedChain<Next> {
        flatMap(name, expand)
    }
}
