/// The bucket counts of one sign of a ``DDSketch``: a dense array over a contiguous range
/// of bucket keys, with an offset, that never spans more than `maxBucketCount` keys.
///
/// When a new key would widen the span past the limit, the lowest buckets are collapsed
/// into the lowest key that still fits. Since the highest key only grows, a value's final
/// bucket is `max(key, highestKey - maxBucketCount + 1)` however the inputs were split,
/// so merging stores gives exactly the single-pass store.
///
/// - Complexity: amortized O(1) add; merge O(span); memory O(maxBucketCount).
struct DDSketchStore: Sendable {
    /// `counts[i]` is the count of key `offset + i`.
    private(set) var counts: [UInt64] = []
    private(set) var offset = 0
    /// The lowest and highest keys with a non-zero count; meaningful when `total > 0`.
    private(set) var minKey = 0
    private(set) var maxKey = 0
    /// The sum of all counts.
    private(set) var total: UInt64 = 0
    /// The widest span of keys kept.
    var maxBucketCount: Int

    init(maxBucketCount: Int) { self.maxBucketCount = maxBucketCount }

    /// The count of `key`.
    func count(of key: Int) -> UInt64 {
        let i = key - offset
        return i >= 0 && i < counts.count ? counts[i] : 0
    }

    mutating func add(key: Int, count: UInt64) {
        guard count > 0 else { return }
        var key = key
        if total == 0 {
            cover(key, key)
            minKey = key
            maxKey = key
        } else if key > maxKey {
            let lowest = key - maxBucketCount + 1
            if lowest > minKey {
                var collapsed: UInt64 = 0
                if minKey <= maxKey {
                    for k in minKey...Swift.min(maxKey, lowest - 1) {
                        collapsed += counts[k - offset]
                        counts[k - offset] = 0
                    }
                }
                cover(lowest, key)
                counts[lowest - offset] += collapsed
                minKey = lowest
            } else {
                cover(minKey, key)
            }
            maxKey = key
        } else if key < minKey {
            key = Swift.max(key, maxKey - maxBucketCount + 1)
            cover(key, maxKey)
            minKey = key
        }
        counts[key - offset] += count
        total += count
    }

    /// Adds every bucket of `other`.
    mutating func merge(_ other: DDSketchStore) {
        guard other.total > 0 else { return }
        // The highest key first: any collapse happens once, then the rest fills downward.
        add(key: other.maxKey, count: other.count(of: other.maxKey))
        var k = other.maxKey - 1
        while k >= other.minKey {
            add(key: k, count: other.count(of: k))
            k -= 1
        }
    }

    /// Calls `body` with each non-zero bucket, lowest key first.
    func forEachAscending(_ body: (_ key: Int, _ count: UInt64) -> Bool) {
        guard total > 0 else { return }
        for k in minKey...maxKey where counts[k - offset] > 0 {
            if !body(k, counts[k - offset]) { return }
        }
    }

    /// Calls `body` with each non-zero bucket, highest key first.
    func forEachDescending(_ body: (_ key: Int, _ count: UInt64) -> Bool) {
        guard total > 0 else { return }
        for k in stride(from: maxKey, through: minKey, by: -1) where counts[k - offset] > 0 {
            if !body(k, counts[k - offset]) { return }
        }
    }

    /// Makes the array cover keys `lo...hi`, keeping the counts of `minKey...maxKey`
    /// inside that range, with slack for growth.
    private mutating func cover(_ lo: Int, _ hi: Int) {
        if !counts.isEmpty && lo >= offset && hi < offset + counts.count { return }
        let span = hi - lo + 1
        let slack = Swift.min(span / 4 + 8, Swift.max(0, maxBucketCount - span))
        let newOffset = lo - slack
        var fresh = [UInt64](repeating: 0, count: span + 2 * slack)
        if total > 0 {
            let from = Swift.max(minKey, lo)
            let to = Swift.min(maxKey, hi)
            if from <= to {
                for k in from...to { fresh[k - newOffset] = counts[k - offset] }
            }
        }
        counts = fresh
        offset = newOffset
    }
}

extension DDSketchStore: Equatable {
    /// Equal when the non-zero buckets are equal, wherever the arrays start.
    static func == (a: DDSketchStore, b: DDSketchStore) -> Bool {
        guard a.total == b.total else { return false }
        if a.total == 0 { return true }
        guard a.minKey == b.minKey, a.maxKey == b.maxKey else { return false }
        for k in a.minKey...a.maxKey where a.count(of: k) != b.count(of: k) { return false }
        return true
    }
}
