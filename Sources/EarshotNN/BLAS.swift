/// Thin Swift wrappers over the few single-precision CBLAS routines Earshot needs, plus the argument
/// checks they share with their naive twins in `NaiveBLAS`.
///
/// Conventions, fixed once for the whole module:
/// - every matrix is **row-major**: element `(i, j)` of a matrix with leading dimension `ld` is at
///   `p[i * ld + j]`, and `ld ≥ columns as stored` (`ld > columns` addresses a sub-block of a wider
///   buffer, e.g. one gate's slice of a `(T, 4H)` LSTM buffer);
/// - shapes are written `(rows, columns)`; a product is `(M, K) × (K, N) → (M, N)`;
/// - `op(X)` is `X` or `Xᵀ` as chosen by a `Transpose` flag, and the shape given for an operand is the
///   shape of `op(X)`, not of the stored `X`;
/// - outputs must not overlap inputs (BLAS semantics: the result is undefined otherwise).
///
/// The raw-pointer entry points are for hot loops that own their buffers; `Matrix.gemm` and
/// `Matrix.product` are the checked conveniences. No C type appears in any signature.
public enum BLAS {
    /// How an operand enters a product: `op(X) = X` (`.none`) or `op(X) = Xᵀ` (`.transpose`).
    /// Transposing through the flag reads the stored matrix in place; nothing is copied.
    public enum Transpose: Sendable, Equatable, CustomStringConvertible {
        case none
        case transpose

        public var description: String { self == .none ? "N" : "T" }
    }
}

/// Argument checks shared by `BLAS` and `NaiveBLAS`, so the fast path and its twin accept and reject
/// exactly the same calls.
enum BLASArguments {
    /// Checks a GEMM call `C(M, N) ← α·op(A)(M, K)·op(B)(K, N) + β·C` in row-major storage: the stored
    /// `A` is `(M, K)` or, transposed, `(K, M)`, so `lda ≥ K` or `lda ≥ M`; likewise `ldb ≥ N` or
    /// `ldb ≥ K`, and `ldc ≥ N`. CBLAS also wants every leading dimension ≥ 1.
    static func checkGEMM(
        _ transA: BLAS.Transpose, _ transB: BLAS.Transpose, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative dimension M=\(m) N=\(n) K=\(k)")
        let storedAColumns = transA == .none ? k : m
        let storedBColumns = transB == .none ? n : k
        precondition(lda >= max(1, storedAColumns), "sgemm: lda=\(lda) < \(storedAColumns) (A is \(transA))")
        precondition(ldb >= max(1, storedBColumns), "sgemm: ldb=\(ldb) < \(storedBColumns) (B is \(transB))")
        precondition(ldc >= max(1, n), "sgemm: ldc=\(ldc) < N=\(n)")
    }

    /// Checks a GEMV call `y ← α·op(A)·x + β·y` where the stored `A` is `(M, N)` with `lda ≥ N`.
    static func checkGEMV(m: Int, n: Int, lda: Int, incx: Int, incy: Int) {
        precondition(m >= 0 && n >= 0, "sgemv: negative dimension M=\(m) N=\(n)")
        precondition(lda >= max(1, n), "sgemv: lda=\(lda) < N=\(n)")
        precondition(incx > 0 && incy > 0, "sgemv: increments must be positive (incx=\(incx), incy=\(incy))")
    }

    /// Checks an AXPY call over `n` elements.
    static func checkAXPY(n: Int, incx: Int, incy: Int) {
        precondition(n >= 0, "saxpy: negative count \(n)")
        precondition(incx > 0 && incy > 0, "saxpy: increments must be positive (incx=\(incx), incy=\(incy))")
    }
}
