import Testing

@testable import EarshotNN

/// `BidirectionalLSTM.rowSplit`: the concurrent backward computes the input gradient as two products over the
/// rows either side of the split; with the kernels OpenBLAS runs on this machine, every row must come out as one
/// product over all rows gives it, bit for bit (what makes the two schedules identical).
@Suite struct RowSplitTests {
    init() { pinOpenBLASToOneThread() }

    @Test func splitsAtAMultipleOf48NearHalf() {
        #expect([0, 1, 95, 96, 97, 160, 5328].map(BidirectionalLSTM.rowSplit) == [0, 0, 0, 48, 48, 48, 2640])
    }

    /// `dX (rows, I) = da (rows, 4H) · W_ih (4H, I)` at the shapes of the test models and the shipped one.
    @Test(arguments: [(96, 240, 128), (160, 240, 128), (333, 512, 1024), (1000, 240, 1024), (5328, 512, 1024)])
    func twoProductsGiveTheBitsOfOne(_ rows: Int, _ n: Int, _ k: Int) {
        var random = SeededRandom(seed: UInt64(rows))
        let a = random.floats(rows * k), b = random.floats(k * n)
        var whole = [Float](repeating: 0, count: rows * n), parts = whole
        let split = BidirectionalLSTM.rowSplit(rows)
        product(a, b, rows: 0..<rows, n: n, k: k, into: &whole)
        for range in [0..<split, split..<rows] where !range.isEmpty {
            product(a, b, rows: range, n: n, k: k, into: &parts)
        }
        #expect(whole == parts, "\(rows) rows split at \(split), kernel \(BLASRuntime.coreName)")
    }

    /// Rows `rows` of `c (·, n) = a (·, k) · b (k, n)`, as `LSTM.inputGradient` computes them.
    private func product(_ a: [Float], _ b: [Float], rows: Range<Int>, n: Int, k: Int, into c: inout [Float]) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemm(
                        .none, .none, m: rows.count, n: n, k: k, alpha: 1, a: a.baseAddress! + rows.lowerBound * k,
                        lda: k, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress! + rows.lowerBound * n, ldc: n)
                }
            }
        }
    }
}
