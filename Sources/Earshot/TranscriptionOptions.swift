import EarshotNN

/// How a `SpeechRecognizer` runs the model over a file or a buffer of samples (how it decodes is its
/// `DecodingOptions`).
public struct TranscriptionOptions: Codable, Sendable, Equatable {
    /// Longest stretch of audio decoded at once, in seconds; longer audio is cut at quiet points.
    /// Default 30.
    public var segmentSeconds: Double = 30
    /// Runs the model chunk by chunk as `StreamRecognizer` does (chunks of `Nc` steps, `Nr` steps of
    /// look-ahead), to measure what streaming costs in accuracy; nil (default) for whole segments.
    public var latencyControl: LatencyControl?
    /// How each LSTM layer's two directions share the cores: `.concurrentDirections` (default, both
    /// directions at once on two threads) suits one transcription at a time; `.sequential` suits several
    /// transcriptions running side by side, one per core.
    public var schedule: BidirectionalLSTM.Schedule = .concurrentDirections

    public init() {}

    /// Throws unless `segmentSeconds` is positive and finite and latency control has `Nc ≥ 1`, `Nr ≥ 0`.
    public func validate() throws(TranscriptionOptionsError) {
        guard segmentSeconds.isFinite, segmentSeconds > 0 else {
            throw .invalid("segmentSeconds must be positive, got \(segmentSeconds)")
        }
        if let latencyControl, latencyControl.chunkSteps < 1 || latencyControl.lookaheadSteps < 0 {
            throw .invalid("latency control needs chunkSteps ≥ 1 and lookaheadSteps ≥ 0, got \(latencyControl)")
        }
    }
}

/// A `TranscriptionOptions` value that cannot work.
public enum TranscriptionOptionsError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
