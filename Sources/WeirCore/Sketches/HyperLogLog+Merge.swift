extension HyperLogLog {
    /// Folds `other` into this sketch: afterwards it estimates the size of the union.
    ///
    /// The result has the lower of the two precisions (the finer sketch is folded down,
    /// which loses nothing the coarser one could hold). Merging sparse sketches keeps the
    /// sparse form while the union fits. An empty sketch, of any precision, changes
    /// nothing; merging into an empty sketch copies `other`.
    ///
    /// - Complexity: O(2^p + s log s), s the sparse entries involved.
    public mutating func merge(_ other: HyperLogLog) {
        if other.isEmpty { return }
        if isEmpty {
            self = other
            return
        }
        let p = Swift.min(precision, other.precision)
        if p < precision { fold(toPrecision: p) }
        if isSparse && other.isSparse {
            mergePending()
            var theirs = other.pending
            theirs.sort()
            sparse = HyperLogLog.mergeSparse(sparse, HyperLogLog.mergeSparse(other.sparse, theirs))
            if sparse.count > sparseLimit { convertToDense() }
            return
        }
        if isSparse { convertToDense() }
        registers.withUnsafeMutableBufferPointer { r in
            if other.isSparse {
                for entry in other.sparse { HyperLogLog.raise(r, HyperLogLog.denseUpdate(ofSparseEntry: entry, precision: p)) }
                for entry in other.pending { HyperLogLog.raise(r, HyperLogLog.denseUpdate(ofSparseEntry: entry, precision: p)) }
            } else if other.precision == p {
                other.registers.withUnsafeBufferPointer { o in
                    for i in 0..<r.count where r[i] < o[i] { r[i] = o[i] }
                }
            } else {
                other.registers.withUnsafeBufferPointer { o in
                    for i in 0..<o.count where o[i] != 0 {
                        HyperLogLog.raise(r, HyperLogLog.fold(index: i, rho: o[i], from: other.precision, to: p))
                    }
                }
            }
        }
    }

    /// This sketch at a lower (or equal) precision: what a sketch of that precision
    /// would hold had it seen the same elements.
    ///
    /// - Complexity: O(2^p).
    public func folded(toPrecision p: Int) -> HyperLogLog {
        precondition(HyperLogLog.precisionRange.contains(p) && p <= precision, "can only fold to a lower precision in 10...18")
        var copy = self
        copy.fold(toPrecision: p)
        return copy
    }

    mutating func fold(toPrecision p: Int) {
        guard p < precision else { return }
        if isSparse {
            // Sparse entries do not depend on p; only the limit shrinks.
            precision = p
            flushPending()
            if isSparse && sparse.count > sparseLimit { convertToDense() }
            return
        }
        var r = [UInt8](repeating: 0, count: 1 << p)
        r.withUnsafeMutableBufferPointer { r in
            for i in 0..<registers.count where registers[i] != 0 {
                HyperLogLog.raise(r, HyperLogLog.fold(index: i, rho: registers[i], from: precision, to: p))
            }
        }
        registers = r
        precision = p
    }

    /// The register at precision `to` that register `index` with value `rho` at precision
    /// `from` (>= `to`) updates: the dropped index bits lengthen the run only if all zero.
    @inlinable
    static func fold(index: Int, rho: UInt8, from: Int, to: Int) -> (index: Int, rho: UInt8) {
        let shift = from - to
        let low = index & ((1 << shift) - 1)
        if low == 0 { return (index >> shift, rho + UInt8(shift)) }
        let width = Int.bitWidth - low.leadingZeroBitCount
        return (index >> shift, UInt8(shift - width + 1))
    }

    @inlinable
    static func raise(_ r: UnsafeMutableBufferPointer<UInt8>, _ update: (index: Int, rho: UInt8)) {
        if r[update.index] < update.rho { r[update.index] = update.rho }
    }
}
