import EarshotNN
import Testing

/// Chunk and look-ahead lengths out of range are reported by field, with the value.
@Suite struct LatencyControlValidationTests {
    @Test(arguments: [
        (0, 0, "chunkSteps must be at least 1, got 0"),
        (-3, 2, "chunkSteps must be at least 1, got -3"),
        (4, -1, "lookaheadSteps must be at least 0, got -1"),
        (10_001, 0, "chunkSteps must be at most 10000, got 10001"),
        (4, Int.max, "lookaheadSteps must be at most 10000, got \(Int.max)"),
    ])
    func outOfRangeIsNamed(chunkSteps: Int, lookaheadSteps: Int, message: String) {
        let error = #expect(throws: LatencyControlError.self) {
            try LatencyControl(chunkSteps: chunkSteps, lookaheadSteps: lookaheadSteps).validate()
        }
        #expect(error?.description == message)
    }

    @Test func theBoundsThemselvesAreValid() throws {
        try LatencyControl(chunkSteps: 1, lookaheadSteps: 0).validate()
        try LatencyControl(chunkSteps: 10_000, lookaheadSteps: 10_000).validate()
    }
}
