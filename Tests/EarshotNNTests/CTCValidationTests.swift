import Testing

@testable import EarshotNN

/// Malformed input is a programming error, not an impossible alignment: each of these stops the
/// process with a precondition failure (run in a child process by Swift Testing's exit tests).
@Suite struct CTCValidationTests {
    @Test func labelOutsideVocabularyTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = CTCLoss().compute(
                logits: [Float](repeating: 0, count: 4 * 3), timeSteps: 4, batchSize: 1, vocabularySize: 3,
                inputLengths: [4], targets: [[1, 3]], computeGradient: false)
        }
    }

    @Test func blankInTargetTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = CTCLoss(blank: 2).compute(
                logits: [Float](repeating: 0, count: 4 * 3), timeSteps: 4, batchSize: 1, vocabularySize: 3,
                inputLengths: [4], targets: [[1, 2]], computeGradient: false)
        }
    }

    @Test func inputLongerThanTensorTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = CTCLoss().compute(
                logits: [Float](repeating: 0, count: 4 * 3), timeSteps: 4, batchSize: 1, vocabularySize: 3,
                inputLengths: [5], targets: [[1]], computeGradient: false)
        }
    }

    @Test func nonFiniteLogitTraps() async {
        await #expect(processExitsWith: .failure) {
            var logits = [Float](repeating: 0, count: 4 * 3)
            logits[7] = .nan
            _ = CTCLoss().compute(
                logits: logits, timeSteps: 4, batchSize: 1, vocabularySize: 3, inputLengths: [4], targets: [[1]],
                computeGradient: false)
        }
    }
}
