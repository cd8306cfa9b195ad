import Testing

@testable import EarshotNN

/// `BLAS.sgemv` and `BLAS.saxpy` against their naive twins. Tolerance as in GEMMTests: each output is
/// an n-term dot product, so |blas − naive| ≤ (n + 2)·ε·(|α|·Σ|a·x| + |β·y|).
@Suite struct GEMVTests {
    @Test(arguments: [
        (BLAS.Transpose.none, 1, 1, 0, 1, 1), (.none, 40, 24, 3, 1, 1), (.transpose, 40, 24, 3, 1, 1),
        (.none, 17, 65, 0, 2, 3), (.transpose, 65, 17, 1, 3, 2),
    ])
    func sgemvMatchesNaiveTwin(
        _ trans: BLAS.Transpose, _ m: Int, _ n: Int, _ pad: Int, _ incx: Int, _ incy: Int
    ) {
        var random = SeededRandom(seed: UInt64(m * 1000 + n))
        let lda = n + pad
        let a = random.floats(m * lda)
        let (xCount, yCount) = trans == .none ? (n, m) : (m, n)
        let x = random.floats(xCount * incx)
        let y0 = random.floats(yCount * incy)
        let (alpha, beta): (Float, Float) = (0.75, -0.5)
        var fast = y0
        var naive = y0
        BLAS.sgemv(trans, m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, incx: incx, beta: beta, y: &fast, incy: incy)
        NaiveBLAS.sgemv(
            trans, m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, incx: incx, beta: beta, y: &naive, incy: incy)
        for i in 0..<yCount {
            var scale = abs(beta * y0[i * incy])
            for p in 0..<xCount {
                let aip = trans == .none ? a[i * lda + p] : a[p * lda + i]
                scale += abs(alpha * aip * x[p * incx])
            }
            let ratio = abs(fast[i * incy] - naive[i * incy]) / scale
            #expect(
                ratio <= Float(xCount + 2) * .ulpOfOne, "y[\(i)]: blas \(fast[i * incy]) vs naive \(naive[i * incy])")
        }
        // Elements between strided outputs are not part of y and stay as they were.
        for i in 0..<(yCount * incy) where i % incy != 0 { #expect(fast[i] == y0[i] && naive[i] == y0[i]) }
    }

    /// One multiply and one add per element, each rounded once (or once in total with FMA), so the
    /// two may differ by at most one rounding of each: 2 ulp of the larger magnitude.
    @Test func saxpyMatchesNaiveTwin() {
        var random = SeededRandom(seed: 11)
        let x = random.floats(2 * 37)
        let y0 = random.floats(3 * 37)
        var fast = y0
        var naive = y0
        BLAS.saxpy(n: 37, alpha: -1.5, x: x, incx: 2, y: &fast, incy: 3)
        NaiveBLAS.saxpy(n: 37, alpha: -1.5, x: x, incx: 2, y: &naive, incy: 3)
        for i in 0..<y0.count {
            let tolerance = 2 * (abs(1.5 * x[(i / 3) * 2]) + abs(y0[i])).ulp
            #expect(abs(fast[i] - naive[i]) <= tolerance, "y[\(i)]: blas \(fast[i]) vs naive \(naive[i])")
        }
    }
}
