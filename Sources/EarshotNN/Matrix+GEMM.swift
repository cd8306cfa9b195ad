extension Matrix {
    /// `C ← α · op(A) · op(B) + β · C` on whole matrices, through `BLAS.sgemm`; e.g. the weight
    /// gradient of a linear layer is `Matrix.gemm(dy, x, transA: .transpose, beta: 1, into: &dW)`.
    ///
    /// Shapes: `op(a)` is `(M, K)`, `op(b)` is `(K, N)`, `c` must already be `(M, N)`; a mismatch is a
    /// programming error and traps with the shapes in the message. Leading dimensions are the column
    /// counts. For blocks of wider buffers use `BLAS.sgemm` directly.
    public static func gemm(
        _ a: Matrix, _ b: Matrix,
        transA: BLAS.Transpose = .none, transB: BLAS.Transpose = .none,
        alpha: Float = 1, beta: Float = 0,
        into c: inout Matrix
    ) {
        let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kB, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(
            k == kB,
            "gemm: op(A) is (\(m), \(k)) but op(B) is (\(kB), \(n)); inner dimensions differ")
        precondition(
            c.rows == m && c.columns == n,
            "gemm: C is (\(c.rows), \(c.columns)), expected (\(m), \(n))")
        if m == 0 || n == 0 { return }  // empty C: nothing to write
        if k == 0 {
            // An empty sum: op(A)·op(B) is zero, so C ← β·C (with β = 0 writing zeros, as BLAS does).
            c.withUnsafeMutableBufferPointer { cBuffer in
                for i in cBuffer.indices { cBuffer[i] = beta == 0 ? 0 : beta * cBuffer[i] }
            }
            return
        }
        // Every matrix is non-empty from here on, so every base address exists.
        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    BLAS.sgemm(
                        transA, transB, m: m, n: n, k: k, alpha: alpha,
                        a: aBuffer.baseAddress!, lda: a.columns, b: bBuffer.baseAddress!, ldb: b.columns,
                        beta: beta, c: cBuffer.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// `op(a) · op(b)` as a new `(M, N)` matrix, where `op(a)` is `(M, K)` and `op(b)` is `(K, N)`.
    public static func product(
        _ a: Matrix, _ b: Matrix,
        transA: BLAS.Transpose = .none, transB: BLAS.Transpose = .none
    ) -> Matrix {
        let m = transA == .none ? a.rows : a.columns
        let n = transB == .none ? b.columns : b.rows
        var c = Matrix(rows: m, columns: n)
        gemm(a, b, transA: transA, transB: transB, into: &c)
        return c
    }
}
