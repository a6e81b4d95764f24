/// Natural logarithm and exponential in pure Swift (WeirCore imports no C math library),
/// accurate to a few ulps over the whole finite range: enough for sketch index mappings
/// and estimators, whose own error is many orders of magnitude larger.
@_spi(Testing)
public enum SketchMath {
    /// ln 2 split into a part exact in 32 bits and a remainder, for argument reduction.
    @usableFromInline static let ln2Hi = 6.931_471_803_691_238_164_90e-01
    @usableFromInline static let ln2Lo = 1.908_214_929_270_587_700_02e-10
    @usableFromInline static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// ln(x) for a positive finite `x` (also subnormal); `-inf` for zero, `nan` below zero.
    public static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        // x = m * 2^e with m in [1, 2); then move m into [sqrt(1/2), sqrt(2)].
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.414_213_562_373_095_048_8 {
            m *= 0.5
            e += 1
        }
        // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = s
        var k = 3.0
        while true {
            term *= s2
            let next = sum + term / k
            if next == sum { break }
            sum = next
            k += 2
        }
        return (e * ln2Hi + 2 * sum) + e * ln2Lo
    }

    /// e^y; `inf` above about 709.78, `0` below about -745.
    public static func exp(_ y: Double) -> Double {
        guard y.isFinite else { return y.isNaN ? y : (y > 0 ? y : 0) }
        if y > 709.8 { return .infinity }
        if y < -745.2 { return 0 }
        // y = k ln2 + r, |r| <= ln2 / 2.
        let k = (y / ln2).rounded()
        let r = (y - k * ln2Hi) - k * ln2Lo
        var term = 1.0
        var sum = 1.0
        var n = 1.0
        while true {
            term *= r / n
            let next = sum + term
            if next == sum { break }
            sum = next
            n += 1
        }
        // Scale in two steps so that neither step overflows or flushes too early.
        let ki = Int(k)
        let half = ki / 2
        return sum * Double(sign: .plus, exponent: half, significand: 1)
            * Double(sign: .plus, exponent: ki - half, significand: 1)
    }
}
