/// What the acoustic model heard in one segment of audio: per model step, the log-probability of each
/// output — index 0 the CTC blank (`Alphabet.blank`), then the alphabet's characters — exactly as the
/// decoder received them. `SpeechRecognizer.transcribe(…, posteriors:)` hands one per decoded segment.
public struct SegmentPosteriors: Sendable, Equatable {
    /// Seconds from the start of the audio to the start of step 0.
    public var start: Double
    /// Duration of one model step in seconds (frame stride × frame shift: 0.03 for the shipped model);
    /// step t covers [start + t·d, start + (t+1)·d).
    public var secondsPerStep: Double
    /// V, outputs per step (`Alphabet.outputCount`: blank + characters).
    public var outputCount: Int
    /// (T, V) row-major natural logarithms; the exponentials of each row sum to 1.
    public var logProbabilities: [Float]

    public init(start: Double, secondsPerStep: Double, outputCount: Int, logProbabilities: [Float]) {
        precondition(outputCount > 0 && logProbabilities.count % outputCount == 0, "(T, V) values expected")
        self.start = start
        self.secondsPerStep = secondsPerStep
        self.outputCount = outputCount
        self.logProbabilities = logProbabilities
    }

    /// T, the number of model steps.
    public var stepCount: Int { logProbabilities.count / outputCount }

    /// Seconds from the start of the audio to the end of the last step.
    public var end: Double { start + Double(stepCount) * secondsPerStep }

    /// The log-probability of `output` at `step`.
    public func logProbability(step: Int, output: Int) -> Float {
        logProbabilities[step * outputCount + output]
    }
}
