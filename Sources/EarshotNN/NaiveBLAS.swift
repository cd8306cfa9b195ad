/// Plain-loop twins of the `BLAS` routines: the same arguments, the same semantics, no cleverness.
///
/// They are the reference the OpenBLAS wrappers are tested against (llm.c keeps its naive matmul beside
/// the fast one for the same reason) and a fallback that is obviously right. Each output element is a
/// single `Float` dot product summed in order `p = 0, 1, …, K-1`; OpenBLAS sums in blocks and with
/// FMA, so the two differ by rounding only — see the tests for the bound.
public enum NaiveBLAS {
    /// `C ← α · op(A) · op(B) + β · C` with `op(A): (M, K)`, `op(B): (K, N)`, `C: (M, N)`, row-major,
    /// by the triple loop. Same arguments and checks as `BLAS.sgemm`; with `beta == 0`, `C` is only
    /// written (a NaN already in `C` does not propagate), as in the reference BLAS.
    public static func sgemm(
        _ transA: BLAS.Transpose, _ transB: BLAS.Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASArguments.checkGEMM(transA, transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        // Element (i, p) of op(A) and (p, j) of op(B), read from the stored matrices.
        let aStride = transA == .none ? (row: lda, column: 1) : (row: 1, column: lda)
        let bStride = transB == .none ? (row: ldb, column: 1) : (row: 1, column: ldb)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    sum += a[i * aStride.row + p * aStride.column] * b[p * bStride.row + j * bStride.column]
                }
                let cij = c + (i * ldc + j)
                cij.pointee = beta == 0 ? alpha * sum : alpha * sum + beta * cij.pointee
            }
        }
    }

    /// `y ← α · op(A) · x + β · y`, `A` stored `(M, N)` row-major; for `.none` `x` has `N` elements and
    /// `y` has `M`, for `.transpose` the other way round. Same arguments and checks as `BLAS.sgemv`.
    public static func sgemv(
        _ transA: BLAS.Transpose,
        m: Int, n: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int = 1,
        beta: Float,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        BLASArguments.checkGEMV(m: m, n: n, lda: lda, incx: incx, incy: incy)
        if m == 0 || n == 0 { return }  // as the reference BLAS
        let (outCount, inCount) = transA == .none ? (m, n) : (n, m)
        for i in 0..<outCount {
            var sum: Float = 0
            for p in 0..<inCount {
                let aip = transA == .none ? a[i * lda + p] : a[p * lda + i]
                sum += aip * x[p * incx]
            }
            let yi = y + i * incy
            yi.pointee = beta == 0 ? alpha * sum : alpha * sum + beta * yi.pointee
        }
    }

    /// `y ← α · x + y` over `n` elements with positive strides. Same arguments as `BLAS.saxpy`.
    public static func saxpy(
        n: Int, alpha: Float,
        x: UnsafePointer<Float>, incx: Int = 1,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        BLASArguments.checkAXPY(n: n, incx: incx, incy: incy)
        for i in 0..<n { y[i * incy] += alpha * x[i * incx] }
    }
}
