import EarshotAudio
import EarshotDecoding
import EarshotFeatures

/// Why one line of a manifest cannot be trained on; `description` is one line that names the manifest,
/// the line number, the audio file and the cause: `train.tsv:12: audio/x.wav: no such file`.
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    /// The manifest's path, as given to the reader.
    public var manifest: String
    /// The line, 1-based (for a multi-line CSV record, the line it starts on).
    public var line: Int
    /// The audio path as the manifest writes it, when the line got that far.
    public var audioPath: String?
    /// What is wrong.
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        /// The line cannot be parsed: bad JSON, wrong column count, a missing field. The payload says which.
        case malformed(String)
        /// The line has `byteCount` bytes, more than `limit` (`ManifestReader.maximumLineLength`); it was not read.
        case lineTooLong(byteCount: Int, limit: Int)
        /// The audio file is missing, empty, not audio, has an unusable header (`AudioFileReader`'s checks
        /// when validating), or samples that cannot be used (NaN, infinite, fewer than the header gives: found
        /// when the trainer decodes it, `Trainer.prepare`).
        case audio(AudioError)
        /// The audio decodes but gives no features (`FeatureError`, e.g. shorter than one frame).
        case features(FeatureError)
        /// The audio is shorter than `minimum` seconds (zero included).
        case tooShort(duration: Double, minimum: Double)
        /// Nothing is left of the transcript after normalisation.
        case emptyTranscript
        /// The normalised transcript holds letters or digits the alphabet lacks.
        case charactersOutsideAlphabet([Character])
    }

    public init(manifest: String, line: Int, audioPath: String?, kind: Kind) {
        self.manifest = manifest
        self.line = line
        self.audioPath = audioPath
        self.kind = kind
    }

    /// The cause in plain words, without the location.
    public var cause: String {
        switch kind {
        case .malformed(let why):
            return why
        case .lineTooLong(let byteCount, let limit):
            return TextFileError(path: manifest, line: line, reason: .lineTooLong(byteCount: byteCount, limit: limit))
                .cause
        case .audio(let error):
            return error.cause
        case .features(let error):
            return error.description
        case .tooShort(let duration, let minimum):
            if duration == 0 { return "audio is empty (0 s long)" }
            let seconds = (duration * 1000).rounded() / 1000
            return "audio is only \(seconds) s long (the minimum is \(minimum) s)"
        case .emptyTranscript:
            return "transcript is empty after normalisation"
        case .charactersOutsideAlphabet(let characters):
            let list = characters.map { "'\($0)'" }.joined(separator: ", ")
            return "transcript contains \(list) (not in the alphabet)"
        }
    }

    /// `manifest:line: audio: cause`, or `manifest:line: cause` when the audio path is unknown.
    public var description: String {
        if let audioPath { return "\(manifest):\(line): \(audioPath): \(cause)" }
        return "\(manifest):\(line): \(cause)"
    }
}
