import Foundation
import Testing

@testable import EarshotNN

/// Tier 3 of the CTC tests: targets that cannot be aligned. A target of L labels with r adjacent
/// repeats needs L + r frames (a blank must separate equal neighbours: "aa" reads a, blank, a). With
/// fewer frames the loss is reported as `.impossible` — never a silent 0 (warp-ctc) or +∞ (torch) —
/// with a zero gradient, while the other sequences of the batch come out exactly as they would alone.
@Suite struct CTCImpossibleTests {
    @Test func requiredFramesCountsRepeats() {
        #expect(CTCLoss.requiredFrames(target: []) == 0)
        #expect(CTCLoss.requiredFrames(target: [4]) == 1)
        #expect(CTCLoss.requiredFrames(target: [1, 2, 1]) == 3)
        #expect(CTCLoss.requiredFrames(target: [1, 1]) == 3)
        #expect(CTCLoss.requiredFrames(target: [1, 1, 1, 2, 2]) == 8)
    }

    @Test func targetLongerThanFrames() {
        let batch = CTCBatch(timeSteps: 3, vocabularySize: 5, inputLengths: [3], targets: [[1, 2, 3, 4]], seed: 1)
        let (results, gradient) = batch.run()
        #expect(results == [.impossible(targetLength: 4, required: 4, frames: 3)])
        #expect(gradient.allSatisfy { $0 == 0 })
        #expect(batch.naive()[0].logLikelihood == -.infinity)  // the textbook recursion agrees
    }

    /// "aa" needs 3 frames: impossible in 2; in 3 exactly one path is left, (a, blank, a).
    @Test func repeatNeedsABlankBetween() throws {
        let two = CTCBatch(timeSteps: 2, vocabularySize: 3, inputLengths: [2], targets: [[2, 2]], seed: 2)
        #expect(two.run().results == [.impossible(targetLength: 2, required: 3, frames: 2)])
        #expect(two.naive()[0].logLikelihood == -.infinity)

        let three = CTCBatch(timeSteps: 3, vocabularySize: 3, inputLengths: [3], targets: [[2, 2]], seed: 2)
        let logY = (0..<3).map { CTCAnalyticTests.logSoftmax(three.row(three.logits, t: $0, b: 0)) }
        let expected = -(logY[0][2] + logY[1][0] + logY[2][2])
        let loss = try #require(three.run().results[0].loss)
        #expect(abs(Double(loss) - expected) <= 1e-7 * expected)
    }

    /// "aaa" needs 5 frames, "aabb" 6; one frame short is impossible, exactly enough is not.
    @Test(arguments: [([1, 1, 1], 5), ([1, 1, 2, 2], 6), ([3, 1, 3, 3], 5)])
    func tightFitBoundary(target: [Int], required: Int) {
        let batch = CTCBatch(
            timeSteps: required, vocabularySize: 4, inputLengths: [required - 1, required], targets: [target, target],
            seed: 3)
        let results = batch.run().results
        #expect(results[0] == .impossible(targetLength: target.count, required: required, frames: required - 1))
        #expect(results[1].loss != nil)
        #expect(batch.naive()[0].logLikelihood == -.infinity)
        #expect(batch.naive()[1].logLikelihood > -.infinity)
    }

    /// An impossible sequence in the middle of a batch: its gradient rows are zero (its weight, even
    /// NaN, is ignored), and every other sequence's loss and gradient are bit-for-bit what it gets alone.
    @Test func othersInTheBatchAreUnaffected() {
        let targets = [[1, 2, 3], [4, 4, 4, 4], [2], [1, 3, 1, 3]]
        let lengths = [8, 6, 8, 7]  // sequence 1 needs 7 frames
        let batch = CTCBatch(timeSteps: 8, vocabularySize: 5, inputLengths: lengths, targets: targets, seed: 4)
        let weights: [Float] = [1, .nan, 0.5, 2]
        let (results, gradient) = batch.run(weights: weights)
        #expect(results[1] == .impossible(targetLength: 4, required: 7, frames: 6))
        for t in 0..<8 { #expect(batch.row(gradient, t: t, b: 1).allSatisfy { $0 == 0 }) }
        for b in [0, 2, 3] {
            let alone = CTCBatch(
                timeSteps: 8, vocabularySize: 5, inputLengths: [lengths[b]], targets: [targets[b]],
                logits: (0..<8).flatMap { Array(batch.row(batch.logits, t: $0, b: b)) })
            let (aloneResults, aloneGradient) = alone.run(weights: [weights[b]])
            #expect(results[b] == aloneResults[0])
            #expect(
                (0..<8).allSatisfy {
                    Array(batch.row(gradient, t: $0, b: b)) == Array(alone.row(aloneGradient, t: $0, b: 0))
                })
        }
    }
}
