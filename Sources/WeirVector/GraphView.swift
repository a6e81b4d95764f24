/// Raw pointers into an `HNSWGraph`'s buffers, copied into a local value so the hot loops read
/// them without class-property access checks.
struct GraphView {
    let nodes: UnsafeMutableRawPointer
    let nodeStride: Int
    let linksOffset: Int
    let dimension: Int
    /// Squared L2 when true, else `1 - dot` (cosine on normalized vectors, inner product).
    let usesL2: Bool
    let upper: UnsafeMutablePointer<Int32>
    let upperOffsets: UnsafeMutablePointer<Int>
    let upperStride: Int
    let tombstones: UnsafeMutablePointer<UInt8>

    /// The start of a slot's node block (its vector).
    @inline(__always)
    func node(_ slot: Int32) -> UnsafeMutableRawPointer { nodes + Int(slot) &* nodeStride }

    @inline(__always)
    func vector(_ slot: Int32) -> UnsafeMutablePointer<Float> { node(slot).assumingMemoryBound(to: Float.self) }

    /// Hints the first cache lines of a slot's vector into the cache (up to 256 bytes; the
    /// hardware prefetcher streams the rest of a longer vector).
    @inline(__always)
    func prefetchVector(_ slot: Int32) {
        let start = node(slot)
        let end = min(linksOffset, 256)
        var offset = 0
        while offset < end {
            Prefetch.read(start + offset)
            offset &+= 64
        }
    }

    /// The distance from `query` to a slot's vector. Release builds use the SIMD kernels;
    /// `DEBUG` builds use their scalar references, which are faster without optimization.
    @inline(__always)
    func distance(_ query: UnsafePointer<Float>, _ slot: Int32) -> Float {
        let v = UnsafePointer(vector(slot))
        #if DEBUG
        return usesL2
            ? DistanceKernels.scalarSquaredL2(query, v, dimension) : 1 - DistanceKernels.scalarDot(query, v, dimension)
        #else
        return usesL2
            ? DistanceKernels.squaredL2(query, v, dimension) : 1 - DistanceKernels.dot(query, v, dimension)
        #endif
    }

    /// A slot's neighbor list on `level`: element 0 is the count, the links follow.
    @inline(__always)
    func links(_ slot: Int32, _ level: Int) -> UnsafeMutablePointer<Int32> {
        if level == 0 { return (node(slot) + linksOffset).assumingMemoryBound(to: Int32.self) }
        let start: Int = upperOffsets[Int(slot)] &+ (level &- 1) &* upperStride
        return upper + start
    }

    @inline(__always)
    func isTombstone(_ slot: Int32) -> Bool { tombstones[Int(slot)] != 0 }
}
