extension HyperLogLog {
    /// The sparse entry of a hash: its top 25 bits and the leading-zero run of the other
    /// 39, plus one (1...40).
    @inlinable
    static func sparseEntry(ofHash hash: UInt64) -> UInt32 {
        let index = UInt32(truncatingIfNeeded: hash >> 39)
        let rho = UInt32(truncatingIfNeeded: ((hash << 25) | (1 << 24)).leadingZeroBitCount + 1)
        return index << 6 | rho
    }

    /// The dense register index and value at `precision` that a sparse entry stands for.
    ///
    /// The index is the top p of its 25 index bits. If the remaining 25 - p index bits are
    /// not all zero, the run of zeros ends inside them; otherwise it continues into the
    /// 39 bits whose run the entry stores.
    @inlinable
    static func denseUpdate(ofSparseEntry entry: UInt32, precision p: Int) -> (index: Int, rho: UInt8) {
        let index25 = entry >> 6
        let rho25 = entry & 63
        let shift = UInt32(HyperLogLog.sparsePrecision - p)
        let low = index25 & ((1 << shift) - 1)
        let rho: UInt32 = low != 0 ? shift - UInt32(32 - low.leadingZeroBitCount) + 1 : shift + rho25
        return (Int(index25 >> shift), UInt8(truncatingIfNeeded: rho))
    }

    @usableFromInline
    mutating func addSparse(hash: UInt64) {
        pending.append(HyperLogLog.sparseEntry(ofHash: hash))
        if pending.count >= Swift.max(64, sparseLimit >> 2) { flushPending() }
    }

    /// Merges the pending buffer into the sorted list and turns dense when over the limit.
    mutating func flushPending() {
        guard !pending.isEmpty else { return }
        mergePending()
        if sparse.count > sparseLimit { convertToDense() }
    }

    /// Merges the pending buffer into the sorted list, whatever its length.
    mutating func mergePending() {
        guard !pending.isEmpty else { return }
        pending.sort()
        sparse = HyperLogLog.mergeSparse(sparse, pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// This sketch in canonical form: no pending entries, dense iff over the sparse limit.
    func normalized() -> HyperLogLog {
        if pending.isEmpty && (!isSparse || sparse.count <= sparseLimit) { return self }
        var copy = self
        copy.flushPending()
        if copy.isSparse && copy.sparse.count > copy.sparseLimit { copy.convertToDense() }
        return copy
    }

    /// Replaces the sparse list with dense registers at the current precision.
    mutating func convertToDense() {
        mergePending()
        var r = [UInt8](repeating: 0, count: 1 << precision)
        for entry in sparse {
            let (index, rho) = HyperLogLog.denseUpdate(ofSparseEntry: entry, precision: precision)
            if r[index] < rho { r[index] = rho }
        }
        registers = r
        sparse = []
        pending = []
    }

    /// The union of two sorted entry lists (each may repeat an index), one entry per index
    /// with the largest rho.
    static func mergeSparse(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        func emit(_ e: UInt32) {
            // Entries sort by index, then rho: a later entry with the same index wins.
            if let last = result.last, last >> 6 == e >> 6 {
                result[result.count - 1] = e
            } else {
                result.append(e)
            }
        }
        while i < a.count && j < b.count {
            if a[i] <= b[j] {
                emit(a[i])
                i += 1
            } else {
                emit(b[j])
                j += 1
            }
        }
        while i < a.count {
            emit(a[i])
            i += 1
        }
        while j < b.count {
            emit(b[j])
            j += 1
        }
        return result
    }
}
