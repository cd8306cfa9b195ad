import EarshotNN

/// How a `SpeechRecognizer` runs the model over a file or a buffer of samples (how it decodes is its
/// `DecodingOptions`).
public struct TranscriptionOptions: Codable, Sendable, Equatable {
    /// Longest stretch of audio decoded at once, in seconds (at least 1: shorter cuts would split words);
    /// longer audio is cut at quiet points. Default 30.
    public var segmentSeconds: Double = 30
    /// Runs the model chunk by chunk as `StreamRecognizer` does (chunks of `Nc` steps, `Nr` steps of
    /// look-ahead), to measure what streaming costs in accuracy; nil (default) for whole segments.
    public var latencyControl: LatencyControl?
    /// How each LSTM layer's two directions share the cores: `.concurrentDirections` (default, both
    /// directions at once on two threads) suits one transcription at a time; `.sequential` suits several
    /// transcriptions running side by side, one per core.
    public var schedule: BidirectionalLSTM.Schedule = .concurrentDirections

    public init() {}

    /// Throws unless `segmentSeconds` is finite and at least 1 and the latency control is valid.
    public func validate() throws(TranscriptionOptionsError) {
        guard segmentSeconds.isFinite, segmentSeconds >= 1 else {
            throw .invalid("segmentSeconds must be at least 1, got \(segmentSeconds)")
        }
        if let latencyControl {
            do { try latencyControl.validate() } catch { throw .invalid("\(error)") }
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
