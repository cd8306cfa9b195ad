import Testing

@testable import EarshotNN

/// Tier 4 of the CTC tests: the analytic gradient against central finite differences of the loss,
/// over a table of sizes — frames, vocabulary, target length, with and without repeats, tight fits,
/// an empty target, a blank that is not 0, peaky logits, and per-sequence weights (the checked
/// function is Σ_b w_b·loss_b, so the weights are checked too).
///
/// Each logit x is perturbed in Float to x⁺ = fl(x + ε) and x⁻ = fl(x − ε); the loss is evaluated in
/// Double (`logLikelihoods`, not the Float loss) and divided by the step actually taken, x⁺ − x⁻ in
/// Double — so the Float rounding of the perturbation costs nothing.
///
/// Tolerance, with ε = 1e-3: the central difference errs by ε²/6·|∂³L/∂x³| ≈ 1.7e-7·|∂³L|, and the
/// third derivatives of a log-sum-exp of softmax outputs stay below ~1 (peaky logits included: there
/// the softmax saturates and the derivatives shrink); the Double loss contributes ~1e-14·|L|/ε ≈ 1e-9;
/// the analytic gradient is rounded to Float (≤ 6e-8). So |FD − analytic| ≲ 3e-7 (measured: ≤ 1.4e-7
/// over the table; 8e-6 with ε = 1e-2, where truncation dominates). We allow 1e-6 — an error in an
/// index, a window edge or the repeat rule is of order 1e-2 or more.
@Suite struct CTCFiniteDifferenceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var frames: [Int]
        var vocabularySize: Int
        var targets: [[Int]]
        var blank = 0
        var scale: Float = 2
        var weights: [Float]? = nil
        var testDescription: String {
            "T=\(frames) V=\(vocabularySize) targets=\(targets) blank=\(blank) scale=\(scale) weights=\(weights ?? [])"
        }
    }

    static let cases: [Case] = [
        Case(frames: [1], vocabularySize: 2, targets: [[1]]),
        Case(frames: [2], vocabularySize: 3, targets: [[1]]),
        Case(frames: [3], vocabularySize: 3, targets: [[2, 2]]),  // tight repeat: one path
        Case(frames: [5], vocabularySize: 3, targets: [[1, 2]]),
        Case(frames: [6], vocabularySize: 4, targets: [[]]),  // all blanks
        Case(frames: [7, 5], vocabularySize: 5, targets: [[1, 1, 2], [3, 4]], weights: [0.7, -1.5]),
        Case(frames: [8], vocabularySize: 5, targets: [[4, 1, 0, 1]], blank: 2),
        Case(
            frames: [10, 10, 4], vocabularySize: 6, targets: [[1, 2, 3, 4, 5], [5, 5, 5], [2, 2]],
            weights: [1, 0.25, 3]),
        Case(frames: [12], vocabularySize: 4, targets: [[1, 2, 1, 2, 1, 2]], scale: 6),  // peaky
        Case(frames: [20, 13], vocabularySize: 8, targets: [[7, 1, 1, 3, 6, 6, 2, 5], [4, 4, 1]]),
        Case(frames: [16], vocabularySize: 29, targets: [[8, 5, 12, 12, 15]]),
    ]

    @Test(arguments: cases)
    func gradientMatchesCentralDifferences(_ c: Case) {
        let t = c.frames.max()!
        let batch = CTCBatch(
            timeSteps: t, vocabularySize: c.vocabularySize, inputLengths: c.frames, targets: c.targets, blank: c.blank,
            scale: c.scale, seed: UInt64(t * 31 + c.vocabularySize))
        let weights = c.weights ?? [Float](repeating: 1, count: c.frames.count)
        let analytic = batch.run(weights: c.weights).gradient
        // Σ_b w_b·loss_b in Double.
        func objective(_ logits: [Float]) -> Double {
            zip(batch.logLikelihoods(logits: logits), weights).reduce(0) { $0 - Double($1.1) * $1.0! }
        }
        let epsilon: Float = 1e-3
        var numeric = [Double](repeating: 0, count: batch.logits.count)
        var logits = batch.logits
        for i in logits.indices {
            let x = logits[i]
            let up = x + epsilon
            let down = x - epsilon
            logits[i] = up
            let lossUp = objective(logits)
            logits[i] = down
            let lossDown = objective(logits)
            logits[i] = x
            numeric[i] = (lossUp - lossDown) / (Double(up) - Double(down))
        }
        expectClose(analytic, numeric, tolerance: 1e-6, "gradient vs central differences")
    }
}
