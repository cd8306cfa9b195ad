import Testing

@testable import EarshotNN

/// The fast path (`CTCLoss`: de-interleaved states, pruned windows, SIMD polynomial exp/log) against
/// its naive twin (`CTCNaive`: textbook recursions, libm, Graves' β convention) on random batches.
///
/// Tolerance. Both compute in Double from the same Float logits, so they differ only by the rounding
/// of different but equivalent formulas and by the polynomial exp/log (≲ 3e-14 nats per log-sum-exp,
/// `CTCLogSpaceTests`): after T ≤ 100 frames, log-likelihoods agree to ≲ 3e-12 nats (measured:
/// 2e-15 relative). We allow 1e-12·(1 + |log p|). Our gradient is rounded to Float at the end, the
/// twin's is not: ≤ half a Float spacing, 3e-8 for entries ≤ 1 (measured 3e-8); we allow 1e-7 — a
/// wrong index, window or repeat rule shows up as an error of order 0.1.
@Suite struct CTCTwinTests {
    static let batches: [CTCBatch] = [
        CTCBatch(timeSteps: 1, vocabularySize: 2, inputLengths: [1], targets: [[1]], seed: 1),
        CTCBatch(timeSteps: 3, vocabularySize: 3, inputLengths: [3], targets: [[1, 1]], seed: 2),  // tight repeat
        CTCBatch(
            timeSteps: 7, vocabularySize: 5, inputLengths: [7, 4, 0, 6], targets: [[1, 2, 3], [], [], [4, 4, 4]],
            seed: 3),
        CTCBatch(
            timeSteps: 40, vocabularySize: 6,
            inputLengths: [40, 33, 17, 25, 9, 40],
            targets: [
                randomTarget(length: 19, vocabularySize: 6, seed: 4),
                randomTarget(length: 5, vocabularySize: 6, seed: 5),
                randomTarget(length: 12, vocabularySize: 6, repeatChance: 0.5, seed: 6), [],
                [1, 2, 1, 2, 1], randomTarget(length: 30, vocabularySize: 6, repeatChance: 0.3, seed: 7),
            ], seed: 8),
        // Blank that is not 0, labels on both sides of it, large logits (peaky softmax).
        CTCBatch(
            timeSteps: 12, vocabularySize: 7, inputLengths: [12, 10], targets: [[0, 6, 6, 2], [5, 1, 0]], blank: 3,
            scale: 20, seed: 9),
        // Windows wider than one SIMD block on both edges, L close to T.
        CTCBatch(
            timeSteps: 100, vocabularySize: 29, inputLengths: [100, 97],
            targets: [
                randomTarget(length: 80, vocabularySize: 29, seed: 10),
                randomTarget(length: 45, vocabularySize: 29, seed: 11),
            ], seed: 12),
    ]

    @Test(arguments: batches)
    func fastMatchesNaive(_ batch: CTCBatch) {
        let (results, gradient) = batch.run()
        let naive = batch.naive()
        let logLikelihoods = batch.logLikelihoods()
        for b in 0..<batch.batchSize {
            let reference = naive[b]
            guard reference.logLikelihood > -.infinity else {
                #expect(results[b].loss == nil, "sequence \(b): naive finds no alignment")
                continue
            }
            let ours = logLikelihoods[b]!
            #expect(abs(ours - reference.logLikelihood) <= 1e-12 * (1 + abs(reference.logLikelihood)), "sequence \(b)")
            #expect(results[b] == .loss(Float(-ours)), "sequence \(b)")
            let rows = (0..<batch.inputLengths[b]).flatMap { batch.row(gradient, t: $0, b: b) }
            expectClose(rows, reference.gradient, tolerance: 1e-7, "gradient of sequence \(b)")
        }
    }
}
