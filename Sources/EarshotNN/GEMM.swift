internal import COpenBLAS

extension BLAS {
    /// General matrix product through OpenBLAS:
    ///
    ///     C ← α · op(A) · op(B) + β · C
    ///     op(A): (M, K)   op(B): (K, N)   C: (M, N)      all row-major
    ///
    /// - Parameters:
    ///   - transA, transB: whether the stored `A`/`B` is used as is or transposed. The stored `A` is
    ///     `(M, K)` for `.none` and `(K, M)` for `.transpose` (same for `B` with `(K, N)`/`(N, K)`).
    ///   - lda, ldb, ldc: leading dimensions (row strides) of the stored matrices; at least the stored
    ///     column count, larger to address a block of a wider buffer.
    ///   - beta: when `0`, `C` is only written, never read (so it may hold garbage or NaN), as in the
    ///     reference BLAS; use `beta: 1` to accumulate (backward passes add into gradients).
    ///
    /// `C` must not overlap `A` or `B`; dimensions and leading dimensions must fit in `Int32` (OpenBLAS's
    /// `blasint`; larger traps). Costs `2·M·N·K` flops; the wrapper adds no copy or allocation, and the
    /// call costs the same as from C (measured on this project's machines). Twin: `NaiveBLAS.sgemm`, same arguments.
    public static func sgemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASArguments.checkGEMM(transA, transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        if m == 0 || n == 0 { return }  // nothing to write; spares OpenBLAS its zero-size edge cases
        cblas_sgemm(
            CblasRowMajor, transA.cblas, transB.cblas,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }
}

extension BLAS.Transpose {
    /// The CBLAS enum value; internal so that no C type leaks into the public API.
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}
