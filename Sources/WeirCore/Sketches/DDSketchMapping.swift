/// The logarithmic index mapping of ``DDSketch``: bucket `i` holds the magnitudes in
/// `(gamma^(i-1), gamma^i]`, `gamma = (1 + alpha) / (1 - alpha)`, and stands for them by
/// `2 gamma^i / (1 + gamma)`, which is within relative error alpha of every one of them.
///
/// - Complexity: O(1) per index or value (a pure-Swift logarithm or exponential).
public struct DDSketchMapping: Sendable, Equatable {
    /// The relative accuracy alpha.
    public let relativeAccuracy: Double
    /// ln(gamma).
    @usableFromInline let lnGamma: Double
    /// 1 / ln(gamma).
    @usableFromInline let multiplier: Double
    /// gamma, as `exp(ln gamma)` so that indexes and values agree exactly.
    public let gamma: Double
    /// Magnitudes below this go to the zero bucket.
    public let minIndexableValue: Double
    /// Magnitudes above this cannot be represented and are rejected.
    public let maxIndexableValue: Double

    /// The mapping for relative accuracy `alpha`, which must be in (0, 1).
    public init(relativeAccuracy alpha: Double) {
        precondition(alpha > 0 && alpha < 1, "DDSketch relative accuracy must be in (0, 1)")
        relativeAccuracy = alpha
        lnGamma = SketchMath.log((1 + alpha) / (1 - alpha))
        multiplier = 1 / lnGamma
        gamma = SketchMath.exp(lnGamma)
        minIndexableValue = Double.leastNormalMagnitude * gamma
        maxIndexableValue = Double.greatestFiniteMagnitude / gamma
    }

    /// The bucket of a magnitude in `minIndexableValue...maxIndexableValue`.
    public func index(of magnitude: Double) -> Int {
        Int((SketchMath.log(magnitude) * multiplier).rounded(.up))
    }

    /// The value that stands for bucket `index`.
    public func value(of index: Int) -> Double {
        2 * SketchMath.exp(Double(index) * lnGamma) / (1 + gamma)
    }
}
