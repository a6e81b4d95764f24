/// SIMD distance kernels over contiguous `Float` storage, for any dimension.
///
/// Each kernel walks `SIMD16<Float>` chunks, then at most one `SIMD8`, one `SIMD4` chunk and a
/// scalar tail, with unaligned loads straight from the caller's memory: no allocation and no
/// copies. Results may differ from a strictly sequential sum in the last bits (the lanes are
/// summed in a different order).
package enum DistanceKernels {
    /// The dot product of `count` floats at `a` and `b`.
    ///
    /// - Complexity: O(count).
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var offset = 0
        let bytes = count &* 4
        var acc16 = SIMD16<Float>()
        while offset &+ 64 <= bytes {
            let x = ra.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y = rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            acc16 += x * y
            offset &+= 64
        }
        var acc8 = acc16.lowHalf + acc16.highHalf
        if offset &+ 32 <= bytes {
            let x = ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let y = rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc8 += x * y
            offset &+= 32
        }
        var acc4 = acc8.lowHalf + acc8.highHalf
        if offset &+ 16 <= bytes {
            let x = ra.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            let y = rb.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            acc4 += x * y
            offset &+= 16
        }
        var sum = (acc4.lowHalf + acc4.highHalf).sum()
        var i = offset &>> 2
        while i < count {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    /// The squared Euclidean distance between `count` floats at `a` and `b`.
    ///
    /// - Complexity: O(count).
    @inline(__always)
    package static func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var offset = 0
        let bytes = count &* 4
        var acc16 = SIMD16<Float>()
        while offset &+ 64 <= bytes {
            let d = ra.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            acc16 += d * d
            offset &+= 64
        }
        var acc8 = acc16.lowHalf + acc16.highHalf
        if offset &+ 32 <= bytes {
            let d = ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc8 += d * d
            offset &+= 32
        }
        var acc4 = acc8.lowHalf + acc8.highHalf
        if offset &+ 16 <= bytes {
            let d = ra.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                - rb.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            acc4 += d * d
            offset &+= 16
        }
        var sum = (acc4.lowHalf + acc4.highHalf).sum()
        var i = offset &>> 2
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    /// The dot product by a plain loop: the reference the SIMD kernel is tested against, and
    /// what the graph measures with in unoptimized (`DEBUG`) builds, where unspecialized SIMD
    /// generics run several times slower than this loop.
    ///
    /// - Complexity: O(count).
    @inline(__always)
    package static func scalarDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum: Float = 0
        var i = 0
        while i < count {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    /// The squared Euclidean distance by a plain loop (see `scalarDot`).
    ///
    /// - Complexity: O(count).
    @inline(__always)
    package static func scalarSquaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum: Float = 0
        var i = 0
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    /// Scales `count` floats at `v` in place to unit L2 norm. Returns false (and leaves `v`
    /// unchanged) when the norm is zero or not finite.
    ///
    /// - Complexity: O(count).
    @inline(__always)
    package static func normalize(_ v: UnsafeMutablePointer<Float>, _ count: Int) -> Bool {
        let norm = dot(v, v, count).squareRoot()
        guard norm > 0, norm.isFinite else { return false }
        let scale = 1 / norm
        for i in 0..<count { v[i] *= scale }
        return true
    }
}
