/// A word with its time span and how sure the model is of it.
public struct TranscribedWord: Codable, Sendable, Equatable {
    public var text: String
    /// Seconds from the start of the audio.
    public var start: Double
    public var end: Double
    /// In [0, 1]: the geometric mean over the word's characters of the posterior probability of each
    /// character at the frame where it is most probable (see `WordAlignment`).
    public var confidence: Double
}

/// A stretch of audio decoded on its own (long audio is cut at quiet points into segments).
public struct TranscriptSegment: Codable, Sendable, Equatable {
    /// Seconds from the start of the audio.
    public var start: Double
    public var end: Double
    public var text: String
    public var words: [TranscribedWord]
    /// Mean of the word confidences weighted by word length (1 when there are no words).
    public var confidence: Double
    /// Other hypotheses for this segment, best first, when N-best output was asked for.
    public var alternatives: [Alternative]?

    public struct Alternative: Codable, Sendable, Equatable {
        public var text: String
        /// Log-domain score of the decoder (higher is better).
        public var score: Double
    }
}

/// The transcription of one audio file or stream.
public struct Transcript: Codable, Sendable, Equatable {
    /// All segments' texts joined by single spaces.
    public var text: String { segments.map(\.text).filter { !$0.isEmpty }.joined(separator: " ") }
    public var segments: [TranscriptSegment]
    /// Every segment's words, in order, with times in seconds from the start of the audio.
    public var words: [TranscribedWord] { segments.flatMap(\.words) }
    /// Seconds of audio.
    public var duration: Double

    public init(segments: [TranscriptSegment], duration: Double) {
        self.segments = segments
        self.duration = duration
    }

    private enum CodingKeys: String, CodingKey { case text, segments, duration }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(segments, forKey: .segments)
        try container.encode(duration, forKey: .duration)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        segments = try container.decode([TranscriptSegment].self, forKey: .segments)
        duration = try container.decode(Double.self, forKey: .duration)
    }
}
