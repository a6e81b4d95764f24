#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import WeirCore

/// The storage of one HNSW graph (Malkov & Yashunin). Every slot owns one fixed-size block in
/// a single flat `nodes` buffer: its vector (`dimension` floats), then its level-0 neighbor
/// list (a count and up to `2m` `Int32` links), padded to 16 bytes. Keeping a node's links
/// next to its vector means the list of a node just measured is usually already in cache when
/// the search expands it. Upper-level lists (`m` links per level) live in a pooled buffer;
/// levels, tombstone flags, ids and metadata in side arrays. External `String` ids map to
/// dense `Int32` slots.
///
/// Not synchronized: `HNSWIndex` holds its lock around every call. The buffers are manually
/// managed so the search loops run on raw pointers (see `GraphView`).
final class HNSWGraph {
    /// Alignment of the node buffer (one cache line).
    static let nodeAlignment = 64
    /// Upper bound on a node's level (the chance of exceeding it is about m^-32).
    static let maxLevelCap = 32

    let dimension: Int
    let metric: VectorMetric
    /// Links per node on levels >= 1.
    let m: Int
    /// Links per node on level 0.
    let m0: Int
    let efConstruction: Int
    /// 1 / ln(m): the level of a new node is floor(-ln(U) * levelMultiplier).
    let levelMultiplier: Double
    /// Bytes per slot in `nodes`: the vector, the level-0 count and links, padding to 16.
    let nodeStride: Int
    /// Bytes from a node's start to its level-0 count (the vector's size).
    let linksOffset: Int
    /// Int32s per level in `upper`: a count, then `m` links.
    let upperStride: Int
    var rng: SplitMix64

    /// Slots in use, live and tombstoned.
    var slotCount = 0
    private(set) var capacity = 0
    /// `capacity * nodeStride` bytes; the vector part of each node is bound to `Float`, the
    /// list part to `Int32`.
    var nodes: UnsafeMutableRawPointer
    var levels: UnsafeMutablePointer<UInt8>
    var tombstones: UnsafeMutablePointer<UInt8>
    /// Per slot: where its level-1 list starts in `upper`, or -1 for a level-0 node.
    var upperOffsets: UnsafeMutablePointer<Int>
    var upper: UnsafeMutablePointer<Int32>
    var upperCount = 0
    private(set) var upperCapacity = 0

    var ids: [String] = []
    var metadata: [[String: String]] = []
    /// Live ids only; a tombstoned slot has no entry.
    var slotsByID: [String: Int32] = [:]
    var entryPoint: Int32 = -1
    var maxLevel = -1
    var tombstoneCount = 0

    /// Working memory of the single writer (used under the write lock only).
    let writer: SearchScratch
    /// Room for one full neighbor list plus one, for pruning.
    let pruneBuffer: UnsafeMutablePointer<Candidate>

    init(configuration: HNSWConfiguration, rngState: UInt64? = nil) {
        dimension = configuration.dimension
        metric = configuration.metric
        m = configuration.m
        m0 = configuration.m * 2
        efConstruction = configuration.efConstruction
        levelMultiplier = 1 / log(Double(max(configuration.m, 2)))
        linksOffset = configuration.dimension * 4
        nodeStride = (linksOffset + (1 + m0) * 4 + 15) & ~15
        upperStride = 1 + m
        rng = SplitMix64(seed: rngState ?? configuration.seed)
        nodes = Self.allocateNodes(byteCount: 0)
        levels = .allocate(capacity: 0)
        tombstones = .allocate(capacity: 0)
        upperOffsets = .allocate(capacity: 0)
        upper = .allocate(capacity: 0)
        writer = SearchScratch(dimension: configuration.dimension, maxLinks: m0, slots: 0)
        pruneBuffer = .allocate(capacity: m0 + 1)
    }

    deinit {
        nodes.deallocate()
        levels.deallocate()
        tombstones.deallocate()
        upperOffsets.deallocate()
        upper.deallocate()
        pruneBuffer.deallocate()
    }

    /// Live documents.
    var liveCount: Int { slotCount - tombstoneCount }

    /// Raw pointers for the search loops; valid until the next `reserve` or `reserveUpper`.
    @inline(__always)
    var view: GraphView {
        GraphView(
            nodes: nodes, nodeStride: nodeStride, linksOffset: linksOffset, dimension: dimension,
            usesL2: metric == .l2, upper: upper, upperOffsets: upperOffsets, upperStride: upperStride,
            tombstones: tombstones)
    }

    /// Makes room for `slots` slots.
    ///
    /// - Complexity: O(slots) when it grows, amortized O(1) per insert.
    func reserve(_ slots: Int) {
        guard slots > capacity else { return }
        let newCapacity = max(slots, capacity * 2, 64)
        func grow<T>(_ pointer: inout UnsafeMutablePointer<T>, _ perSlot: Int) {
            let bigger = UnsafeMutablePointer<T>.allocate(capacity: newCapacity * perSlot)
            bigger.moveInitialize(from: pointer, count: slotCount * perSlot)
            pointer.deallocate()
            pointer = bigger
        }
        let biggerNodes = Self.allocateNodes(byteCount: newCapacity * nodeStride)
        for slot in 0..<newCapacity {
            let node = biggerNodes + slot * nodeStride
            node.bindMemory(to: Float.self, capacity: dimension)
            (node + linksOffset).bindMemory(to: Int32.self, capacity: 1 + m0)
        }
        biggerNodes.copyMemory(from: nodes, byteCount: slotCount * nodeStride)
        nodes.deallocate()
        nodes = biggerNodes
        grow(&levels, 1)
        grow(&tombstones, 1)
        grow(&upperOffsets, 1)
        capacity = newCapacity
        ids.reserveCapacity(newCapacity)
        metadata.reserveCapacity(newCapacity)
        slotsByID.reserveCapacity(newCapacity)
    }

    /// Allocates a node buffer. Large ones are aligned to 2 MiB and, on Linux, marked for
    /// transparent huge pages: searches touch nodes at random, and with 4 KiB pages most of
    /// those touches would also miss the TLB.
    private static func allocateNodes(byteCount: Int) -> UnsafeMutableRawPointer {
        let hugePage = 2 << 20
        guard byteCount >= 2 * hugePage else {
            return .allocate(byteCount: byteCount, alignment: nodeAlignment)
        }
        let rounded = (byteCount + hugePage - 1) & ~(hugePage - 1)
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: hugePage)
        #if os(Linux)
        _ = madvise(pointer, rounded, Int32(MADV_HUGEPAGE))
        #endif
        return pointer
    }

    /// Makes room for `count` Int32s in the upper-level pool.
    func reserveUpper(_ count: Int) {
        guard count > upperCapacity else { return }
        let newCapacity = max(count, upperCapacity * 2, 256)
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: upper, count: upperCount)
        upper.deallocate()
        upper = bigger
        upperCapacity = newCapacity
    }

    /// Draws a level for a new node: floor(-ln(U) * 1/ln(m)), capped.
    func randomLevel() -> Int {
        let level = -log(rng.nextOpenUnit()) * levelMultiplier
        return min(Int(level), Self.maxLevelCap)
    }

    /// Forgets every slot, keeping the allocated buffers.
    func removeAllSlots() {
        slotCount = 0
        upperCount = 0
        ids.removeAll(keepingCapacity: true)
        metadata.removeAll(keepingCapacity: true)
        slotsByID.removeAll(keepingCapacity: true)
        entryPoint = -1
        maxLevel = -1
        tombstoneCount = 0
    }
}
