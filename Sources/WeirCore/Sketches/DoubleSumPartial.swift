/// A mergeable sum of doubles with Neumaier (improved Kahan) compensation.
///
/// Floating-point addition is not associative, so no double sum is independent of the
/// order of its inputs. The compensation term carries the low-order bits that plain
/// addition drops, which makes the sum, and the sum of merged partials, accurate to about
/// one rounding of the exact total in practice: merged and single-pass results agree to
/// within a few ulps of the sum of magnitudes, not bit for bit.
///
/// Non-finite inputs propagate as in plain addition (`inf`, `nan`).
///
/// - Complexity: O(1) add and merge; 16 bytes.
public struct DoubleSumPartial: MergeableAggregate, Equatable {
    @usableFromInline internal var _sum: Double
    @usableFromInline internal var _compensation: Double

    /// The compensated sum.
    public var value: Double { _sum + _compensation }

    /// An empty sum (zero).
    public init() {
        _sum = 0
        _compensation = 0
    }

    /// Adds one value.
    @inlinable
    public mutating func add(_ x: Double) {
        let t = _sum + x
        if _sum.magnitude >= x.magnitude {
            _compensation += (_sum - t) + x
        } else {
            _compensation += (x - t) + _sum
        }
        _sum = t
    }

    /// Adds the other partial's sum, keeping both compensation terms.
    @inlinable
    public mutating func merge(_ other: DoubleSumPartial) {
        add(other._sum)
        add(other._compensation)
    }
}
