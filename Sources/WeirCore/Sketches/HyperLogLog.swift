/// A HyperLogLog++ distinct-count sketch (Heule, Nunkesser, Hall, EDBT 2013): mergeable,
/// with a sparse form for small cardinalities and a stable binary encoding for storage.
///
/// - **Hash.** Elements are hashed with ``XXHash64`` (seed 0), a frozen function, so a
///   sketch stored today can be unioned with one built by a later version. Values passed to
///   ``add(hash:)`` must come from the same function for such unions to be meaningful.
/// - **Sparse form** (small cardinalities). A sorted list of `(index, rho)` pairs at the
///   sparse precision p' = 25: the top 25 hash bits and the leading-zero run of the other
///   39, one 32-bit word per distinct index (plus a small unsorted insertion buffer). Its
///   estimate is linear counting over 2^25 virtual registers, exact in practice up to a
///   few thousand elements. It turns dense once it holds more than `2^p / 4` entries, the
///   point where it would take more memory than the dense registers.
/// - **Dense form.** `2^p` registers, **one byte per register** in memory (packed to 6
///   bits when serialized, see `docs/hll-format.md`). The estimate is Ertl's improved
///   estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017),
///   which corrects the small- and large-range bias analytically, so no empirical bias
///   tables are needed; its relative standard error is about `1.04 / sqrt(2^p)`.
/// - **Merge** is a register-wise maximum (a union of pairs while both are sparse). Merging
///   sketches of different precisions folds the finer one down to the coarser precision.
///   An empty sketch is the identity of `merge` whatever its precision.
///
/// - Complexity: `add` is O(1) when dense and amortized O(log b) when sparse (b, the
///   buffer, at most `2^p / 16`); `merge` and `cardinality` are O(2^p); memory is at most
///   about `1.25 * 2^p` bytes (16 KiB at the default precision 14).
public struct HyperLogLog: MergeableAggregate, Equatable, CustomStringConvertible {
    /// The supported precisions p (2^p registers).
    public static let precisionRange: ClosedRange<Int> = 10...18
    /// The precision of `init()`: 16,384 registers, standard error about 0.81%.
    public static let defaultPrecision = 14
    /// The precision of the sparse form, p'.
    public static let sparsePrecision = 25

    /// The precision p: the sketch has 2^p registers.
    public internal(set) var precision: Int

    /// Dense registers, one byte each; empty while the sketch is sparse.
    @usableFromInline internal var registers: [UInt8]
    /// Sparse entries `index25 << 6 | rho25`, sorted, one per index.
    @usableFromInline internal var sparse: [UInt32]
    /// Sparse entries not yet merged into `sparse`: unsorted, maybe repeated.
    @usableFromInline internal var pending: [UInt32]

    /// An empty sketch at the default precision 14.
    public init() { self.init(precision: HyperLogLog.defaultPrecision) }

    /// An empty sketch with 2^`precision` registers; `precision` must be in 10...18.
    public init(precision: Int) {
        precondition(HyperLogLog.precisionRange.contains(precision), "HyperLogLog precision must be in 10...18")
        self.precision = precision
        registers = []
        sparse = []
        pending = []
    }

    /// `true` while the sketch uses the sparse form.
    public var isSparse: Bool { registers.isEmpty }

    /// `true` when nothing was ever added.
    public var isEmpty: Bool { registers.isEmpty && sparse.isEmpty && pending.isEmpty }

    /// Number of sparse entries above which the sketch turns dense: the sparse list then
    /// takes as many bytes as the dense registers.
    @usableFromInline
    internal var sparseLimit: Int { (1 << precision) >> 2 }

    /// Adds an element given by its bytes, hashed with ``XXHash64``.
    @inlinable
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        add(hash: XXHash64.hash(bytes))
    }

    /// Adds an element given by its bytes, hashed with ``XXHash64``.
    @inlinable
    public mutating func add(bytes: [UInt8]) {
        add(hash: XXHash64.hash(bytes))
    }

    /// Adds the UTF-8 bytes of `string`.
    @inlinable
    public mutating func add(_ string: String) {
        var s = string
        let h = s.withUTF8 { XXHash64.hash(UnsafeRawBufferPointer($0)) }
        add(hash: h)
    }

    /// Adds an integer, hashed as its 8 little-endian bytes (so `add(int64: v)` equals
    /// `add(bytes:)` over those bytes).
    @inlinable
    public mutating func add(int64 value: Int64) {
        add(hash: XXHash64.hash(UInt64(bitPattern: value)))
    }

    /// Adds an element by its 64-bit ``XXHash64`` hash.
    @inlinable
    public mutating func add(hash: UInt64) {
        if registers.isEmpty {
            addSparse(hash: hash)
        } else {
            let p = UInt64(truncatingIfNeeded: precision)
            let index = Int(truncatingIfNeeded: hash >> (64 - p))
            // Setting bit p-1 caps the run at 64 - p, so rho <= 65 - p.
            let rho = UInt8(truncatingIfNeeded: ((hash << p) | (1 << (p - 1))).leadingZeroBitCount + 1)
            registers.withUnsafeMutableBufferPointer { r in
                if r[index] < rho { r[index] = rho }
            }
        }
    }

    /// The estimated number of distinct elements added.
    ///
    /// - Complexity: O(2^p) when dense; O(b log b) for the pending buffer when sparse.
    public var cardinality: Double {
        let s = normalized()
        if s.isSparse { return HyperLogLog.linearCountingEstimate(distinctSparseIndexes: s.sparse.count) }
        return HyperLogLog.ertlEstimate(registers: s.registers, precision: s.precision)
    }

    /// ``cardinality`` rounded to the nearest integer.
    public var estimatedCount: Int64 { Int64(cardinality.rounded()) }

    /// The 2^p dense registers this sketch stands for, computed from the sparse form when
    /// needed. Two sketches that saw the same elements have the same registers, however
    /// their inputs were split and merged.
    ///
    /// - Complexity: O(2^p).
    public func denseRegisters() -> [UInt8] {
        let s = normalized()
        if !s.isSparse { return s.registers }
        var r = [UInt8](repeating: 0, count: 1 << precision)
        for entry in s.sparse {
            let (index, rho) = HyperLogLog.denseUpdate(ofSparseEntry: entry, precision: precision)
            if r[index] < rho { r[index] = rho }
        }
        return r
    }

    public static func == (lhs: HyperLogLog, rhs: HyperLogLog) -> Bool {
        let a = lhs.normalized()
        let b = rhs.normalized()
        return a.precision == b.precision && a.registers == b.registers && a.sparse == b.sparse
    }

    public var description: String {
        let form = isSparse ? "sparse" : "dense"
        return "HyperLogLog(p: \(precision), \(form), cardinality: \(cardinality))"
    }
}
