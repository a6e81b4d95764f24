/// A mergeable quantile sketch with a relative-error guarantee: DDSketch (Masson, Rim,
/// Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
/// guarantees", VLDB 2019).
///
/// Positive and negative values are counted in logarithmic buckets (``DDSketchMapping``)
/// of two dense stores; zeros, and magnitudes below `mapping.minIndexableValue`, in a
/// zero count. `quantile(q)` returns the value of the bucket that holds the item of rank
/// `floor(q * (count - 1))` (0-based, in ascending order), clamped to `[min, max]`, so it
/// is within relative error alpha of that item, as long as no bucket was collapsed below
/// it: each store keeps at most `maxBucketCount` buckets and merges its lowest ones
/// (the smallest magnitudes) when it would exceed that. With alpha = 0.01 the default
/// 2,048 buckets span 17 orders of magnitude per sign.
///
/// Merging adds bucket counts, so merged partials have exactly the buckets, count, min and
/// max of the single-pass sketch; `sum` agrees up to floating-point rounding.
/// Non-finite values, and magnitudes above `mapping.maxIndexableValue`, are rejected.
///
/// - Complexity: O(1) amortized `add`; O(buckets) `quantile` and `merge`; memory
///   O(maxBucketCount) per sign.
public struct DDSketch: MergeableAggregate {
    /// The relative accuracy of `init()`: 1%.
    public static let defaultRelativeAccuracy = 0.01
    /// The bucket limit per sign of `init()`.
    public static let defaultMaxBucketCount = 2048

    /// The index mapping, fixed by the relative accuracy.
    public let mapping: DDSketchMapping
    var positive: DDSketchStore
    var negative: DDSketchStore
    /// Values counted as zero.
    public private(set) var zeroCount: UInt64 = 0
    /// Values added (with their multiplicities).
    public private(set) var count: UInt64 = 0
    /// The smallest value added; `+inf` when empty.
    public private(set) var min = Double.infinity
    /// The largest value added; `-inf` when empty.
    public private(set) var max = -Double.infinity
    private var sumPartial = DoubleSumPartial()

    /// An empty sketch with relative accuracy 1% and 2,048 buckets per sign.
    public init() { self.init(relativeAccuracy: DDSketch.defaultRelativeAccuracy) }

    /// An empty sketch with relative accuracy `relativeAccuracy` in (0, 1) and at most
    /// `maxBucketCount` buckets per sign.
    public init(relativeAccuracy: Double, maxBucketCount: Int = DDSketch.defaultMaxBucketCount) {
        precondition(maxBucketCount >= 1, "DDSketch needs at least one bucket")
        mapping = DDSketchMapping(relativeAccuracy: relativeAccuracy)
        positive = DDSketchStore(maxBucketCount: maxBucketCount)
        negative = DDSketchStore(maxBucketCount: maxBucketCount)
    }

    /// The relative accuracy alpha.
    public var relativeAccuracy: Double { mapping.relativeAccuracy }
    /// The bucket limit per sign.
    public var maxBucketCount: Int { positive.maxBucketCount }
    /// The sum of the values added (compensated, see ``DoubleSumPartial``).
    public var sum: Double { sumPartial.value }
    /// `true` when nothing was added.
    public var isEmpty: Bool { count == 0 }

    /// Adds `value` `count` times; returns `false`, and changes nothing, for a value that
    /// is not finite or is too large in magnitude to index.
    @discardableResult
    public mutating func add(_ value: Double, count n: UInt64 = 1) -> Bool {
        guard value.isFinite, value.magnitude <= mapping.maxIndexableValue else { return false }
        guard n > 0 else { return true }
        if value.magnitude < mapping.minIndexableValue {
            zeroCount += n
        } else if value > 0 {
            positive.add(key: mapping.index(of: value), count: n)
        } else {
            negative.add(key: mapping.index(of: -value), count: n)
        }
        count += n
        if value < min { min = value }
        if value > max { max = value }
        sumPartial.add(n == 1 ? value : value * Double(n))
        return true
    }

    /// The estimated `q`-quantile, `q` in [0, 1]: within relative error alpha of the item of
    /// 0-based rank `floor(q * (count - 1))`; `nil` when empty or `q` is out of range.
    ///
    /// - Complexity: O(buckets).
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, q >= 0, q <= 1 else { return nil }
        let rank = UInt64((q * Double(count - 1)).rounded(.down))
        var seen: UInt64 = 0
        var result: Double?
        // Ascending order: negatives from the largest magnitude, zeros, then positives.
        negative.forEachDescending { key, c in
            seen += c
            if seen > rank { result = -mapping.value(of: key) }
            return result == nil
        }
        if result == nil {
            seen += zeroCount
            if seen > rank { result = 0 }
        }
        if result == nil {
            positive.forEachAscending { key, c in
                seen += c
                if seen > rank { result = mapping.value(of: key) }
                return result == nil
            }
        }
        return Swift.min(Swift.max(result ?? max, min), max)
    }

    /// Adds every bucket and count of `other`, which must have the same relative accuracy
    /// unless one of the two is empty (an empty sketch is the identity). The bucket limit
    /// becomes the smaller of the two.
    ///
    /// - Complexity: O(buckets of `other`).
    public mutating func merge(_ other: DDSketch) {
        if other.isEmpty { return }
        if isEmpty {
            self = other
            return
        }
        precondition(mapping == other.mapping, "cannot merge DDSketches of different relative accuracy")
        let limit = Swift.min(maxBucketCount, other.maxBucketCount)
        positive.maxBucketCount = limit
        negative.maxBucketCount = limit
        positive.merge(other.positive)
        negative.merge(other.negative)
        zeroCount += other.zeroCount
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        sumPartial.merge(other.sumPartial)
    }

    /// The non-zero buckets as `(key, count)`, negative store then positive store, each
    /// in ascending key order: for tests that compare sketches bucket by bucket.
    @_spi(Testing)
    public func buckets() -> (negative: [(Int, UInt64)], positive: [(Int, UInt64)]) {
        var n: [(Int, UInt64)] = []
        var p: [(Int, UInt64)] = []
        negative.forEachAscending { n.append(($0, $1)); return true }
        positive.forEachAscending { p.append(($0, $1)); return true }
        return (n, p)
    }
}
