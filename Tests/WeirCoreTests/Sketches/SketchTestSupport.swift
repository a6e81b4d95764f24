import WeirCore

/// Merges partials in a random order and grouping: repeatedly merges one random partial
/// into another until one is left, which exercises associativity and commutativity.
func mergeRandomly<A: MergeableAggregate>(_ parts: [A], using random: inout SplitMix64) -> A {
    var parts = parts
    guard !parts.isEmpty else { return A() }
    while parts.count > 1 {
        let i = random.below(parts.count)
        let from = parts.remove(at: i)
        let j = random.below(parts.count)
        if random.below(2) == 0 {
            parts[j].merge(from)
        } else {
            var into = from
            into.merge(parts[j])
            parts[j] = into
        }
    }
    return parts[0]
}

/// Splits `count` inputs over `parts` partials at random: the partial index of each input.
func randomSplit(count: Int, parts: Int, using random: inout SplitMix64) -> [Int] {
    (0..<count).map { _ in random.below(parts) }
}
