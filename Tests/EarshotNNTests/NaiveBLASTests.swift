import Testing

@testable import EarshotNN

/// Anchors the naive twins to hand-computed values, so that "BLAS agrees with the twin" (GEMMTests)
/// means "BLAS is right".
@Suite struct NaiveBLASTests {
    // A (2, 3) = [[1, 2, 3], [4, 5, 6]], B (3, 2) = [[7, 8], [9, 10], [11, 12]]:
    // A·B = [[1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12], [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]]
    //     = [[58, 64], [139, 154]]; all values are small integers, so every result is exact.
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let b: [Float] = [7, 8, 9, 10, 11, 12]

    @Test func gemmOfSmallIntegersIsExact() {
        var c = [Float](repeating: .nan, count: 4)  // β = 0: never read
        NaiveBLAS.sgemm(.none, .none, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func gemmTransposeFlagsReadTheStoredMatrixTransposed() {
        // Aᵀ stored (3, 2) = [[1, 4], [2, 5], [3, 6]], Bᵀ stored (2, 3) = [[7, 9, 11], [8, 10, 12]].
        let aT: [Float] = [1, 4, 2, 5, 3, 6]
        let bT: [Float] = [7, 9, 11, 8, 10, 12]
        var c = [Float](repeating: 1, count: 4)
        // C ← 2·(Aᵀ)ᵀ·(Bᵀ)ᵀ + 1·C = 2·A·B + 1
        NaiveBLAS.sgemm(
            .transpose, .transpose, m: 2, n: 2, k: 3, alpha: 2, a: aT, lda: 2, b: bT, ldb: 3, beta: 1, c: &c, ldc: 2)
        #expect(c == [117, 129, 279, 309])
    }

    @Test func gemvBothWays() {
        // A (2, 3) as above; A·[1, 1, 1] = [6, 15]; Aᵀ·[1, -1] = [-3, -3, -3].
        var y: [Float] = [.nan, .nan]
        NaiveBLAS.sgemv(.none, m: 2, n: 3, alpha: 1, a: a, lda: 3, x: [1, 1, 1], beta: 0, y: &y)
        #expect(y == [6, 15])
        var yT: [Float] = [10, 10, 10]
        NaiveBLAS.sgemv(.transpose, m: 2, n: 3, alpha: 1, a: a, lda: 3, x: [1, -1], beta: 0.5, y: &yT)
        #expect(yT == [2, 2, 2])
    }

    @Test func axpy() {
        var y: [Float] = [1, 1, 1]
        NaiveBLAS.saxpy(n: 3, alpha: -2, x: [1, 2, 3], y: &y)
        #expect(y == [-1, -3, -5])
    }
}
