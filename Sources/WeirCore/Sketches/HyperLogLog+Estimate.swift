extension HyperLogLog {
    /// Linear counting over the 2^25 virtual registers of the sparse form:
    /// `m' ln(m' / V)`, V the registers still empty.
    static func linearCountingEstimate(distinctSparseIndexes n: Int) -> Double {
        let m = Double(1 << HyperLogLog.sparsePrecision)
        let empty = m - Double(n)
        return m * SketchMath.log(m / empty)
    }

    /// Ertl's improved raw estimator (2017, Algorithm 6): from the histogram C of register
    /// values (C_0 ... C_{q+1}, q = 64 - p),
    /// `z = m tau(1 - C_{q+1}/m)`, then `z = (z + C_k) / 2` for k = q down to 1,
    /// `z += m sigma(C_0 / m)`, and the estimate is `m^2 / (2 ln 2 * z)`.
    /// sigma and tau correct the small- and large-range bias in closed form.
    static func ertlEstimate(registers: [UInt8], precision p: Int) -> Double {
        let q = 64 - p
        var histogram = [Int](repeating: 0, count: q + 2)
        for r in registers { histogram[Int(r)] += 1 }
        let m = Double(registers.count)
        var z = m * tau(1 - Double(histogram[q + 1]) / m)
        for k in stride(from: q, through: 1, by: -1) {
            z = 0.5 * (z + Double(histogram[k]))
        }
        z += m * sigma(Double(histogram[0]) / m)
        if z.isInfinite { return 0 }
        let alphaInfinity = 1 / (2 * SketchMath.ln2)
        return alphaInfinity * m * m / z
    }

    /// sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), for x in [0, 1].
    static func sigma(_ x: Double) -> Double {
        if x == 1 { return .infinity }
        var x = x
        var y = 1.0
        var z = x
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    /// tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3, for x in [0, 1].
    static func tau(_ x: Double) -> Double {
        if x == 0 || x == 1 { return 0 }
        var x = x
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }
}
