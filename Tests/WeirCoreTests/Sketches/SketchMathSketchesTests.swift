import Foundation
import Testing
@_spi(Testing) import WeirCore

/// The pure-Swift logarithm and exponential against the platform's.
struct SketchMathSketchesTests {
    @Test func logMatchesPlatformWithinFewUlps() {
        let seed = TestSeed.value(default: 0x5EED_0102)
        var random = SplitMix64(seed: seed)
        var samples: [Double] = [1, 2, 0.5, 10, 1e-300, 1e300, Double.leastNormalMagnitude, Double.leastNonzeroMagnitude,
                                 Double.greatestFiniteMagnitude, 1 + 1e-12, 1 - 1e-12, 1.4142135623730951]
        for _ in 0..<20_000 {
            samples.append(Double(sign: .plus, exponent: random.below(2_000) - 1_000, significand: 1 + random.nextUnit()))
        }
        for x in samples {
            let ours = SketchMath.log(x)
            let theirs = Foundation.log(x)
            let tolerance = 4 * Swift.max(theirs.magnitude.ulp, Double.leastNormalMagnitude)
            #expect((ours - theirs).magnitude <= tolerance, "log(\(x)): \(ours) vs \(theirs), seed \(seed)")
        }
        #expect(SketchMath.log(0) == -.infinity)
        #expect(SketchMath.log(-1).isNaN)
    }

    @Test func expMatchesPlatformWithinFewUlps() {
        let seed = TestSeed.value(default: 0x5EED_0103)
        var random = SplitMix64(seed: seed)
        var samples: [Double] = [0, 1, -1, 709, -708, 1e-10, -1e-10]
        for _ in 0..<20_000 { samples.append(random.nextUnit() * 1_400 - 700) }
        for y in samples {
            let ours = SketchMath.exp(y)
            let theirs = Foundation.exp(y)
            #expect((ours - theirs).magnitude <= 4 * theirs.ulp, "exp(\(y)): \(ours) vs \(theirs), seed \(seed)")
        }
        #expect(SketchMath.exp(800) == .infinity)
        #expect(SketchMath.exp(-800) == 0)
    }
}
