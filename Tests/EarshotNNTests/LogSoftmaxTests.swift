import Foundation
import Testing

@testable import EarshotNN

@Suite struct LogSoftmaxTests {
    init() { pinOpenBLASToOneThread() }

    /// Against the definition in Double; rows of ordinary, huge (±1e30, where an unshifted exp would
    /// overflow) and tied values. Tolerance 1e-6 absolute: the result is x − shift with |x − max| ≤ ~20
    /// here, so a few float ulps of 20.
    @Test func forwardMatchesDefinitionAndIsStable() {
        let rows: [[Float]] = [
            [0.5, -1.25, 3, 0.125, -7],
            [1e30, 1e30 - 2e23, -1e30, 0, 5],
            [-1e30, -1e30, -1e30, -1e30, -1e30],
            [88, 89, 90, 91, 92],
            [2, 2, 2, 2, 2],
        ]
        let y = LogSoftmax.forward(rows.flatMap { $0 }, columns: 5)
        var expected: [Float] = []
        for row in rows {
            let m = Double(row.max()!)
            let logSum = Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
            expected += row.map { Float(Double($0) - m - logSum) }
        }
        #expect(y.allSatisfy { $0.isFinite })
        expectClose(y, expected, tolerance: 1e-6, "log_softmax")
        for r in 0..<rows.count {
            let total = y[(r * 5)..<(r * 5 + 5)].reduce(0.0) { $0 + Foundation.exp(Double($1)) }
            #expect(abs(total - 1) < 1e-6)
        }
    }

    /// `dx = dy − softmax·Σdy` against central finite differences (ε, tolerance: `GradientCheck`).
    @Test func backwardMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 1)
        var x = random.floats(4 * 6).map { 3 * $0 }
        let g = random.floats(4 * 6)
        let y = LogSoftmax.forward(x, columns: 6)
        var dx = [Float](repeating: 0, count: x.count)
        y.withUnsafeBufferPointer { yp in
            g.withUnsafeBufferPointer { gp in
                dx.withUnsafeMutableBufferPointer {
                    LogSoftmax.backward(
                        output: yp.baseAddress!, outputGradient: gp.baseAddress!, inputGradient: $0.baseAddress!,
                        rows: 4, columns: 6)
                }
            }
        }
        GradientCheck.check(
            "logits", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, LogSoftmax.forward(x, columns: 6)) })
    }
}
