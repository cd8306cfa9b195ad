import Testing

@testable import EarshotNN

/// `Int8Matrix`: every kernel path this CPU runs against the scalar path (bit for bit), and the product
/// against float arithmetic within the quantisation error bound stated on `Int8Matrix`.
@Suite struct Int8MatrixTests {
    /// The paths this machine can run; the scalar path always.
    static let paths = Int8Matrix.KernelPath.allCases.filter(\.isSupported)

    /// Shapes with every kind of tail: rows not a multiple of 16, columns not a multiple of 4, more
    /// activation rows than one tile (4) and fewer, one row (the batch-1 recurrence), and the reference
    /// model's recurrent shape.
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 16, 4), (3, 29, 77), (5, 70, 13), (9, 130, 64), (1, 1024, 256), (6, 1024, 240),
    ]

    /// `Y` for `X (m, k)`, `W (n, k)` through `path`, as a fresh product (`accumulate` false) and added to
    /// `initial` (`accumulate` true).
    static func product(
        _ x: [Float], _ w: [Float], m: Int, n: Int, k: Int, path: Int8Matrix.KernelPath, initial: [Float]
    ) -> (fresh: [Float], accumulated: [Float]) {
        let matrix = Int8Matrix(quantizing: w, rows: n, columns: k, path: path)
        let activations = Int8Activations()
        x.withUnsafeBufferPointer { activations.quantize($0.baseAddress!, rows: m, columns: k, stride: k) }
        var fresh = [Float](repeating: .nan, count: m * n)
        var accumulated = initial
        fresh.withUnsafeMutableBufferPointer {
            matrix.multiply(activations, rows: m, into: $0.baseAddress!, stride: n, accumulate: false)
        }
        accumulated.withUnsafeMutableBufferPointer {
            matrix.multiply(activations, rows: m, into: $0.baseAddress!, stride: n, accumulate: true)
        }
        return (fresh, accumulated)
    }

    /// Every path gives the scalar path's results exactly: all compute the same int32 sums and the same
    /// float operations (the kernels' header), so any difference is a kernel bug.
    @Test(arguments: paths)
    func pathEqualsScalar(_ path: Int8Matrix.KernelPath) {
        for (index, (m, n, k)) in Self.shapes.enumerated() {
            var random = SeededRandom(seed: 100 + UInt64(index))
            let x = random.floats(m * k), w = random.floats(n * k).map { $0 * 0.3 }, y0 = random.floats(m * n)
            let reference = Self.product(x, w, m: m, n: n, k: k, path: .scalar, initial: y0)
            let result = Self.product(x, w, m: m, n: n, k: k, path: path, initial: y0)
            #expect(result.fresh == reference.fresh, "\(path) (\(m), \(n), \(k)) fresh")
            #expect(result.accumulated == reference.accumulated, "\(path) (\(m), \(n), \(k)) accumulated")
        }
    }

    /// The product is within the quantisation bound of the float product (computed in Double):
    /// `Σ_k (|x_k|·s_n + |w_k|·t_m)/2 + K·t_m·s_n/4`, plus 1e-5 of `Σ_k |x_k·w_k|` for the float rounding of
    /// scales and sums; and `accumulate` adds exactly the fresh product to what was there.
    @Test func productWithinQuantisationBound() {
        for (index, (m, n, k)) in Self.shapes.enumerated() {
            var random = SeededRandom(seed: 200 + UInt64(index))
            let x = random.floats(m * k).map { $0 * 3 }, w = random.floats(n * k).map { $0 * 0.2 }
            let y0 = random.floats(m * n)
            let (fresh, accumulated) = Self.product(x, w, m: m, n: n, k: k, path: .best, initial: y0)
            let scales = Int8Matrix(quantizing: w, rows: n, columns: k).rowScales
            var worst = 0.0
            for i in 0..<m {
                let row = x[(i * k)..<((i + 1) * k)]
                let t = Double(row.map { abs($0) }.max()!) / 127
                for j in 0..<n {
                    var exact = 0.0, bound = 0.0, magnitude = 0.0
                    let s = Double(scales[j])
                    for c in 0..<k {
                        let xv = Double(x[i * k + c]), wv = Double(w[j * k + c])
                        exact += xv * wv
                        magnitude += abs(xv * wv)
                        bound += (abs(xv) * s + abs(wv) * t) / 2 + t * s / 4
                    }
                    bound += 1e-5 * magnitude
                    let error = abs(Double(fresh[i * n + j]) - exact)
                    worst = max(worst, error / bound)
                    #expect(error <= bound, "(\(m), \(n), \(k)) [\(i), \(j)]: error \(error) > bound \(bound)")
                    #expect(accumulated[i * n + j] == y0[i * n + j] + fresh[i * n + j])
                }
            }
            #expect(worst > 0, "the bound is exercised")
        }
    }

    /// The stored integers are `round(w / s)` within [−127, 127], the largest magnitude of each row
    /// exactly ±127; a row of zeros has scale 0; the activations of a zero row give a zero product.
    @Test func quantisationOfWeightsAndZeroRows() {
        var random = SeededRandom(seed: 7)
        var w = random.floats(5 * 9)
        for c in 0..<9 { w[2 * 9 + c] = 0 }
        let matrix = Int8Matrix(quantizing: w, rows: 5, columns: 9)
        let q = matrix.integers, s = matrix.rowScales
        #expect(s[2] == 0 && q[(2 * 9)..<(3 * 9)].allSatisfy { $0 == 0 })
        for r in [0, 1, 3, 4] {
            #expect(q[(r * 9)..<((r + 1) * 9)].map { abs(Int($0)) }.max() == 127)
            for c in 0..<9 {
                #expect(abs(Float(q[r * 9 + c]) * s[r] - w[r * 9 + c]) <= s[r] * 0.5001)
            }
        }
        let (fresh, _) = Self.product(
            [Float](repeating: 0, count: 2 * 9), w, m: 2, n: 5, k: 9, path: .best,
            initial: [Float](repeating: 0, count: 10))
        #expect(fresh.allSatisfy { $0 == 0 })
    }

    /// `best` is supported, and the scalar path always is.
    @Test func bestPathIsSupported() {
        #expect(Int8Matrix.KernelPath.best.isSupported)
        #expect(Int8Matrix.KernelPath.scalar.isSupported)
    }
}
