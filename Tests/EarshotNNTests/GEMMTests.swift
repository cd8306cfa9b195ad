import Testing

@testable import EarshotNN

/// One `C ← α·op(A)·op(B) + β·C` call: `op(A)` is `(m, k)`, `op(B)` is `(k, n)`, `C` is `(m, n)`,
/// each stored with `pad` extra columns beyond what it needs (so `ld > columns`).
struct GEMMCase: CustomTestStringConvertible, Sendable {
    var m: Int, n: Int, k: Int
    var transA: BLAS.Transpose = .none, transB: BLAS.Transpose = .none
    var alpha: Float = 1, beta: Float = 0
    var padA = 0, padB = 0, padC = 0

    var storedA: (rows: Int, columns: Int) { transA == .none ? (m, k) : (k, m) }
    var storedB: (rows: Int, columns: Int) { transB == .none ? (k, n) : (n, k) }
    var lda: Int { storedA.columns + padA }
    var ldb: Int { storedB.columns + padB }
    var ldc: Int { n + padC }

    var testDescription: String {
        "(\(m),\(k))\(transA)×(\(k),\(n))\(transB) α=\(alpha) β=\(beta) pad=\(padA),\(padB),\(padC)"
    }
}

/// The OpenBLAS wrapper against the naive triple loop, over shapes chosen to hit every code path:
/// both transposes, non-square, vectors as matrices, padded leading dimensions, accumulate (β = 1),
/// odd α/β, K = 0, and sizes past OpenBLAS's register blocking (edges that are not multiples of 16).
///
/// Tolerance. Each result element is a K-term dot product. The standard bound for a float dot product
/// summed in any order, with or without FMA, is |fl(s) − s| ≤ γ_K·Σ|a_ip·b_pj|, γ_K = K·u/(1 − K·u),
/// u = ε/2 = 2⁻²⁴. The α and β·c terms add two more roundings. Both implementations satisfy it, so
/// |naive − blas| ≤ about (K + 2)·ε·scale with scale = |α|·Σ_p|a_ip·b_pj| + |β·c_ij|. We check the
/// ratio |naive − blas| / scale ≤ (K + 2)·ε element by element. It is a worst-case bound (typical
/// errors grow like √K·ε), but an indexing or transpose bug produces a ratio of order 1, ~10⁵× larger.
@Suite struct GEMMTests {
    static let cases: [GEMMCase] = [
        GEMMCase(m: 1, n: 1, k: 1),
        GEMMCase(m: 2, n: 3, k: 4),
        GEMMCase(m: 7, n: 5, k: 3, transA: .transpose),
        GEMMCase(m: 5, n: 7, k: 3, transB: .transpose),
        GEMMCase(m: 9, n: 4, k: 6, transA: .transpose, transB: .transpose),
        GEMMCase(m: 16, n: 64, k: 32),  // a recurrent step: (B, H) × (H, 4H)-like
        GEMMCase(m: 33, n: 17, k: 65, transA: .transpose, alpha: 0.5, beta: 1),  // accumulate, as backward does
        GEMMCase(m: 13, n: 29, k: 7, transB: .transpose, alpha: -1, beta: 0.25, padA: 3, padB: 5, padC: 2),
        GEMMCase(m: 64, n: 1, k: 128, padC: 3),  // a column vector result
        GEMMCase(m: 1, n: 96, k: 80, transB: .transpose, beta: -1, padA: 1),  // a row vector result
        GEMMCase(
            m: 31, n: 31, k: 31, transA: .transpose, transB: .transpose, alpha: 2, beta: 2, padA: 1, padB: 2, padC: 3),
        GEMMCase(m: 3, n: 4, k: 0, beta: 0.5, padA: 1),  // empty sum: C ← β·C
        GEMMCase(m: 70, n: 50, k: 90, transA: .transpose, transB: .none, alpha: 1, beta: 0, padA: 4, padB: 0, padC: 5),
    ]

    @Test(arguments: cases)
    func sgemmMatchesNaiveTwin(_ t: GEMMCase) {
        var random = SeededRandom(seed: UInt64(t.m * 10_007 + t.n * 101 + t.k))
        let a = random.floats(max(1, t.storedA.rows * t.lda))
        let b = random.floats(max(1, t.storedB.rows * t.ldb))
        let sentinel: Float = 12345
        var c0 = random.floats(t.m * t.ldc)
        for i in 0..<t.m { for j in t.n..<t.ldc { c0[i * t.ldc + j] = sentinel } }

        var fast = c0
        var naive = c0
        BLAS.sgemm(
            t.transA, t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
            a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: &fast, ldc: t.ldc)
        NaiveBLAS.sgemm(
            t.transA, t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
            a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: &naive, ldc: t.ldc)

        // scale_ij = |α|·Σ_p |op(A)_ip · op(B)_pj| + |β · c0_ij|
        func opA(_ i: Int, _ p: Int) -> Float { t.transA == .none ? a[i * t.lda + p] : a[p * t.lda + i] }
        func opB(_ p: Int, _ j: Int) -> Float { t.transB == .none ? b[p * t.ldb + j] : b[j * t.ldb + p] }
        var worstRatio: Float = 0
        var worst = (i: 0, j: 0)
        for i in 0..<t.m {
            for j in 0..<t.n {
                var scale: Float = abs(t.beta * c0[i * t.ldc + j])
                for p in 0..<t.k { scale += abs(t.alpha * opA(i, p) * opB(p, j)) }
                let difference = abs(fast[i * t.ldc + j] - naive[i * t.ldc + j])
                let ratio = scale > 0 ? difference / scale : difference
                if ratio > worstRatio { (worstRatio, worst) = (ratio, (i, j)) }
            }
        }
        let bound = Float(t.k + 2) * Float.ulpOfOne
        #expect(
            worstRatio <= bound,
            """
            max |blas − naive| / scale = \(worstRatio / .ulpOfOne) ε at (\(worst.i), \(worst.j)), bound \(t.k + 2) ε; \
            blas \(fast[worst.i * t.ldc + worst.j]) vs naive \(naive[worst.i * t.ldc + worst.j]); \
            first values blas \(fast.prefix(4)) naive \(naive.prefix(4))
            """)

        // Padding columns of C (j ≥ N) are outside the matrix: neither implementation may touch them.
        for i in 0..<t.m {
            for j in t.n..<t.ldc {
                #expect(
                    fast[i * t.ldc + j] == sentinel && naive[i * t.ldc + j] == sentinel,
                    "padding of C written at (\(i), \(j))")
            }
        }
    }

    /// With β = 0, C is write-only in BLAS semantics: NaN left in it (e.g. uninitialised workspace)
    /// must not leak into the result, in either implementation.
    @Test func betaZeroIgnoresGarbageInC() {
        var random = SeededRandom(seed: 7)
        let a = random.floats(6 * 5)
        let b = random.floats(5 * 4)
        var fast = [Float](repeating: .nan, count: 6 * 4)
        var naive = fast
        BLAS.sgemm(.none, .none, m: 6, n: 4, k: 5, alpha: 1, a: a, lda: 5, b: b, ldb: 4, beta: 0, c: &fast, ldc: 4)
        NaiveBLAS.sgemm(
            .none, .none, m: 6, n: 4, k: 5, alpha: 1, a: a, lda: 5, b: b, ldb: 4, beta: 0, c: &naive, ldc: 4)
        #expect(fast.allSatisfy { $0.isFinite }, "BLAS: \(fast.prefix(4))")
        #expect(naive.allSatisfy { $0.isFinite }, "naive: \(naive.prefix(4))")
    }
}
