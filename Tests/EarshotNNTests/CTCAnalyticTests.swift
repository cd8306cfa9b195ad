import Foundation
import Testing

@testable import EarshotNN

/// Tier 1 of the CTC tests: cases small enough to work out by hand, or by listing every path.
///
/// Tolerances. Expected values are computed here in Double with libm from the same Float logits, so
/// log-likelihoods must agree to ~1e-14 relative (we allow 1e-12: a few dozen roundings); Float losses
/// to one Float rounding (relative 1e-7); gradients, which are Double results rounded once to Float,
/// to absolute 1e-7 (entries are ≤ 1, Float spacing below 1 is ≤ 6e-8).
@Suite struct CTCAnalyticTests {
    /// Log-softmax of one row, in Double.
    static func logSoftmax(_ row: ArraySlice<Float>) -> [Double] {
        let x = row.map(Double.init)
        let m = x.max()!
        let logSum = log(x.reduce(0) { $0 + Foundation.exp($1 - m) })
        return x.map { $0 - m - logSum }
    }

    /// T = 1, V = 2, target [1]: the only path is "1", so loss = −log softmax(x)[1] and the gradient
    /// is softmax − one-hot(1).
    @Test func singleFrameSingleLabel() {
        let logits: [Float] = [0.3, -1.2]
        let batch = CTCBatch(timeSteps: 1, vocabularySize: 2, inputLengths: [1], targets: [[1]], logits: logits)
        let (results, gradient) = batch.run()
        let logY = Self.logSoftmax(logits[...])
        expectLoss(results[0], -logY[1], batch.logLikelihoods()[0])
        expectClose(gradient, [Foundation.exp(logY[0]), Foundation.exp(logY[1]) - 1], tolerance: 1e-7, "gradient")
    }

    /// T = 2, target [1]: three paths collapse to "1" — (1, 1), (blank, 1), (1, blank) — so
    /// p = y₀(1)y₁(1) + y₀(0)y₁(1) + y₀(1)y₁(0). The gradient by hand: ∂(−log p)/∂x_t(k) =
    /// y_t(k) − (Σ over those paths with label k at t of their probability)/p.
    @Test func twoFramesSumThreePaths() {
        let logits: [Float] = [0.5, 1.5, -0.25, 2.0, -1.0, 0.75]  // (T=2, B=1, V=3)
        let batch = CTCBatch(timeSteps: 2, vocabularySize: 3, inputLengths: [2], targets: [[1]], logits: logits)
        let (results, gradient) = batch.run()
        let y0 = Self.logSoftmax(logits[0..<3]).map { Foundation.exp($0) }
        let y1 = Self.logSoftmax(logits[3..<6]).map { Foundation.exp($0) }
        let p11 = y0[1] * y1[1]
        let p01 = y0[0] * y1[1]
        let p10 = y0[1] * y1[0]
        let p = p11 + p01 + p10
        expectLoss(results[0], -log(p), batch.logLikelihoods()[0])
        let expected = [
            y0[0] - p01 / p, y0[1] - (p11 + p10) / p, y0[2],
            y1[0] - p10 / p, y1[1] - (p11 + p01) / p, y1[2],
        ]
        expectClose(gradient, expected, tolerance: 1e-7, "gradient")
    }

    /// Uniform logits: every path has probability V^−T, so p = N·V^−T with N the number of paths
    /// collapsing to the target, N = C(T + L − r, 2L) for L labels with r adjacent repeats (checked
    /// against enumeration in `enumerationOfAllPaths`; e.g. T = 3, "ab": ab_, a_b, _ab, aab, abb).
    @Test(arguments: [
        (3, [1, 2]), (5, [1, 2]), (4, [1, 1]), (7, [1, 1, 1]), (10, [3, 1, 4, 1, 5]), (12, [2, 2, 3, 3]), (6, []),
        (40, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), (25, [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]),
    ])
    func uniformLogitsCountPaths(frames: Int, target: [Int]) {
        let v = 11
        let batch = CTCBatch(
            timeSteps: frames, vocabularySize: v, inputLengths: [frames], targets: [target],
            logits: [Float](repeating: 0, count: frames * v))
        let repeats = zip(target, target.dropFirst()).filter { $0 == $1 }.count
        let paths = Self.binomial(frames + target.count - repeats, 2 * target.count)
        let expected = Double(frames) * log(Double(v)) - log(paths)
        expectLoss(batch.run().results[0], expected, batch.logLikelihoods()[0])
    }

    /// Tiny cases by brute force: every one of the V^T label sequences, collapsed (merge repeats,
    /// drop blanks) and compared with the target; p and its gradient summed over the matching ones.
    @Test(arguments: [
        (4, 3, [1, 2], 0), (5, 3, [1, 1], 0), (5, 3, [2, 1, 2], 0), (6, 3, [], 0), (5, 4, [3, 3, 1], 0),
        (4, 4, [1, 3, 0], 2), (3, 2, [1, 1], 0),
    ])
    func enumerationOfAllPaths(frames: Int, vocabularySize v: Int, target: [Int], blank: Int) {
        let batch = CTCBatch(
            timeSteps: frames, vocabularySize: v, inputLengths: [frames], targets: [target], blank: blank,
            seed: UInt64(frames * 100 + v * 10 + target.count))
        let logY = (0..<frames).map { Self.logSoftmax(batch.row(batch.logits, t: $0, b: 0)) }
        var p = 0.0
        var labelMass = [Double](repeating: 0, count: frames * v)  // Σ over matching paths with k at t
        var paths = 0
        for index in 0..<Int(pow(Double(v), Double(frames))) {
            var path: [Int] = []
            var rest = index
            for _ in 0..<frames {
                path.append(rest % v)
                rest /= v
            }
            var collapsed: [Int] = []
            for (t, k) in path.enumerated() where k != blank && (t == 0 || path[t - 1] != k) { collapsed.append(k) }
            guard collapsed == target else { continue }
            paths += 1
            let probability = Foundation.exp(path.enumerated().reduce(0) { $0 + logY[$1.offset][$1.element] })
            p += probability
            for (t, k) in path.enumerated() { labelMass[t * v + k] += probability }
        }
        let repeats = zip(target, target.dropFirst()).filter { $0 == $1 }.count
        #expect(Double(paths) == Self.binomial(frames + target.count - repeats, 2 * target.count))
        let (results, gradient) = batch.run()
        expectLoss(results[0], -log(p), batch.logLikelihoods()[0])
        let expected = (0..<(frames * v)).map { Foundation.exp(logY[$0 / v][$0 % v]) - labelMass[$0] / p }
        expectClose(gradient, expected, tolerance: 1e-7, "gradient")
    }

    /// An empty target is the all-blank path: loss = −Σ_t log y_t(blank); gradient softmax − one-hot(blank).
    @Test func emptyTargetIsAllBlanks() {
        let batch = CTCBatch(timeSteps: 9, vocabularySize: 4, inputLengths: [9], targets: [[]], blank: 1, seed: 77)
        let logY = (0..<9).map { Self.logSoftmax(batch.row(batch.logits, t: $0, b: 0)) }
        let (results, gradient) = batch.run()
        expectLoss(results[0], -logY.reduce(0) { $0 + $1[1] }, batch.logLikelihoods()[0])
        let expected = logY.flatMap { row in row.enumerated().map { Foundation.exp($1) - ($0 == 1 ? 1 : 0) } }
        expectClose(gradient, expected, tolerance: 1e-7, "gradient")
    }

    /// No frames: the empty target has probability 1 (loss 0); any other target is impossible.
    @Test func zeroFrames() {
        let batch = CTCBatch(timeSteps: 2, vocabularySize: 3, inputLengths: [0, 0], targets: [[], [1]], seed: 3)
        let (results, gradient) = batch.run()
        #expect(results == [.loss(0), .impossible(targetLength: 1, required: 1, frames: 0)])
        #expect(gradient.allSatisfy { $0 == 0 })
    }

    /// Checks a Float loss against `expected` (−log p, Double) and our Double log-likelihood too.
    func expectLoss(
        _ result: CTCLoss.SequenceResult, _ expected: Double, _ logLikelihood: Double?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let loss = result.loss, let logLikelihood else {
            Issue.record("no loss: \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(Double(loss) - expected) <= 1e-7 * max(1, abs(expected)), sourceLocation: sourceLocation)
        #expect(abs(-logLikelihood - expected) <= 1e-12 * max(1, abs(expected)), sourceLocation: sourceLocation)
    }

    /// C(n, k) as a Double (exact for the small values used here).
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0 && k <= n else { return 0 }
        return (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
    }
}
