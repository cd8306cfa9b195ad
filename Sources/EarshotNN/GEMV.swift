internal import COpenBLAS

extension BLAS {
    /// Matrix–vector product through OpenBLAS:
    ///
    ///     y ← α · op(A) · x + β · y
    ///     A stored (M, N) row-major, leading dimension lda ≥ N
    ///     .none:      x has N elements, y has M
    ///     .transpose: x has M elements, y has N
    ///
    /// `incx`/`incy` are the strides between consecutive vector elements (positive; 1 for contiguous).
    /// With `beta == 0`, `y` is only written. Twin: `NaiveBLAS.sgemv`.
    ///
    /// A `(1, K) × (K, N)` GEMM is the same arithmetic; this exists because OpenBLAS's GEMV kernels
    /// skip GEMM's packing, which matters for single-frame (batch 1) streaming steps.
    public static func sgemv(
        _ transA: Transpose,
        m: Int, n: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int = 1,
        beta: Float,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        BLASArguments.checkGEMV(m: m, n: n, lda: lda, incx: incx, incy: incy)
        // Reference BLAS returns early, leaving y untouched, when the stored A is empty; so does the twin.
        if m == 0 || n == 0 { return }
        cblas_sgemv(
            CblasRowMajor, transA.cblas, Int32(m), Int32(n),
            alpha, a, Int32(lda), x, Int32(incx),
            beta, y, Int32(incy))
    }

    /// Scaled vector addition through OpenBLAS: `y ← α · x + y` over `n` elements with strides
    /// `incx`, `incy` (positive). Twin: `NaiveBLAS.saxpy`.
    public static func saxpy(
        n: Int, alpha: Float,
        x: UnsafePointer<Float>, incx: Int = 1,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        BLASArguments.checkAXPY(n: n, incx: incx, incy: incy)
        if n == 0 { return }
        cblas_saxpy(Int32(n), alpha, x, Int32(incx), y, Int32(incy))
    }
}
