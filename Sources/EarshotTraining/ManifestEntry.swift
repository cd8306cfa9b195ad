import EarshotDecoding

/// One utterance of a manifest: an audio file and what is said in it.
public struct ManifestEntry: Codable, Sendable, Equatable {
    /// The audio file: the manifest's path made absolute (a relative path is relative to the manifest's
    /// folder), with `.` and `..` resolved.
    public var audioPath: String
    /// The audio path exactly as the manifest writes it, for messages.
    public var writtenPath: String
    /// The transcript as the manifest writes it.
    public var transcript: String
    /// `transcript` normalised (`TextNormalizer.normalize`): the text the model learns to output.
    public var normalizedTranscript: String
    /// The alphabet indices of `normalizedTranscript` (1…, never the blank): the CTC target.
    public var labels: [Int]
    /// Length in seconds, from the manifest (NeMo's `duration`) or, after validation with audio checks,
    /// from the file's header; nil when unknown.
    public var duration: Double?
    /// The manifest's path as given to the reader, for messages.
    public var manifest: String
    /// The manifest line the entry starts on, 1-based.
    public var line: Int

    public init(
        audioPath: String, writtenPath: String, transcript: String, normalizedTranscript: String, labels: [Int],
        duration: Double?, manifest: String, line: Int
    ) {
        self.audioPath = audioPath
        self.writtenPath = writtenPath
        self.transcript = transcript
        self.normalizedTranscript = normalizedTranscript
        self.labels = labels
        self.duration = duration
        self.manifest = manifest
        self.line = line
    }
}
