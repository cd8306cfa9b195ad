/// Dot products for the resampler's inner loop: a fast one and the naive twin it is tested against.
enum DotProduct {
    /// Σₖ a[k]·b[k] for k in 0..<count, as sixteen interleaved partial sums (s_j adds the terms k ≡ j mod 16)
    /// combined at the end, then a scalar tail.
    ///
    /// Why sixteen scalar accumulators rather than `SIMD16<Float>`: the partial sums are independent, so in
    /// release builds LLVM's SLP vectoriser packs them into vector registers (measured: `mulps`/`addps`, the
    /// same 1 800× real time for 48 → 16 kHz as explicit `SIMD16`), while in debug builds — where `swift test`
    /// runs — generic SIMD operations go lane by lane through protocol witnesses and were 12× slower than
    /// this loop. The summation order depends only on `count`, never on where the data came from, so
    /// resampling in chunks gives bit-identical results.
    @inline(__always)
    static func vectorized(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0
        var s1: Float = 0
        var s2: Float = 0
        var s3: Float = 0
        var s4: Float = 0
        var s5: Float = 0
        var s6: Float = 0
        var s7: Float = 0
        var s8: Float = 0
        var s9: Float = 0
        var s10: Float = 0
        var s11: Float = 0
        var s12: Float = 0
        var s13: Float = 0
        var s14: Float = 0
        var s15: Float = 0
        var k = 0
        while k + 16 <= count {
            s0 += a[k + 0] * b[k + 0]
            s1 += a[k + 1] * b[k + 1]
            s2 += a[k + 2] * b[k + 2]
            s3 += a[k + 3] * b[k + 3]
            s4 += a[k + 4] * b[k + 4]
            s5 += a[k + 5] * b[k + 5]
            s6 += a[k + 6] * b[k + 6]
            s7 += a[k + 7] * b[k + 7]
            s8 += a[k + 8] * b[k + 8]
            s9 += a[k + 9] * b[k + 9]
            s10 += a[k + 10] * b[k + 10]
            s11 += a[k + 11] * b[k + 11]
            s12 += a[k + 12] * b[k + 12]
            s13 += a[k + 13] * b[k + 13]
            s14 += a[k + 14] * b[k + 14]
            s15 += a[k + 15] * b[k + 15]
            k += 16
        }
        // One left-to-right chain: the form the SLP vectoriser recognises as a horizontal reduction (a
        // pairwise tree here measured 2× slower overall, the accumulators then stayed scalar).
        var sum = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15
        while k < count {
            sum += a[k] * b[k]
            k += 1
        }
        return sum
    }

    /// Σₖ a[k]·b[k], one term at a time in Double: the reference for `vectorized`.
    static func naive(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum = 0.0
        for k in 0..<count { sum += Double(a[k]) * Double(b[k]) }
        return Float(sum)
    }
}
