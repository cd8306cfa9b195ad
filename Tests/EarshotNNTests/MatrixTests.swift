import Testing

@testable import EarshotNN

@Suite struct MatrixTests {
    @Test func layoutIsRowMajor() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == (2, 3))
        #expect(m.storage == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.transposed() == Matrix([[1, 4], [2, 5], [3, 6]]))
    }

    @Test func subscriptWritesInPlace() {
        var m = Matrix(rows: 2, columns: 2)
        m[0, 1] = 3
        m.withUnsafeMutableBufferPointer { $0[2] = 5 }
        #expect(m.storage == [0, 3, 5, 0])
    }

    /// The small integer product from NaiveBLASTests, through the `Matrix` convenience: exact.
    @Test func productOfSmallIntegers() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        #expect(Matrix.product(a, b) == Matrix([[58, 64], [139, 154]]))
        // Transpose flags read the stored matrix transposed: Bᵀ·Aᵀ = (A·B)ᵀ, and (Aᵀ)ᵀ·B = A·B.
        #expect(Matrix.product(b, a, transA: .transpose, transB: .transpose) == Matrix([[58, 139], [64, 154]]))
        #expect(Matrix.product(a.transposed(), b, transA: .transpose) == Matrix([[58, 64], [139, 154]]))
    }

    /// `gemm` with β = 1 adds into C, the way a backward pass accumulates gradients.
    @Test func gemmAccumulates() {
        let a = Matrix([[1, 2], [3, 4]])
        let identity = Matrix([[1, 0], [0, 1]])
        var c = Matrix([[10, 10], [10, 10]])
        Matrix.gemm(a, identity, alpha: 2, beta: 1, into: &c)
        #expect(c == Matrix([[12, 14], [16, 18]]))
    }

    /// Degenerate shapes: K = 0 is an empty sum (C ← β·C); M = 0 or N = 0 leaves nothing to do.
    @Test func emptyDimensions() {
        var c = Matrix([[1, 2], [3, 4]])
        Matrix.gemm(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), beta: 0.5, into: &c)
        #expect(c == Matrix([[0.5, 1], [1.5, 2]]))
        #expect(Matrix.product(Matrix(rows: 0, columns: 3), Matrix(rows: 3, columns: 2)).shape == (0, 2))
    }
}
