import EarshotDecoding
import EarshotNN
import Foundation

/// Earshot's speech recognizer: an acoustic model with its decoding (language model, hotwords, beam),
/// loaded once and shared. The whole program for an app:
///
///     import Earshot
///     let earshot = try SpeechRecognizer.load()          // the shipped model and its tuned language model
///     let transcript = try earshot.transcribe(file: "clip.wav")
///     for word in transcript.words { print(word.text, word.start, word.confidence) }
///     let stream = try earshot.stream()                 // per-stream state over the same weights
///
/// Immutable and `Sendable`: transcribe from any number of threads at once, and open any number of streams;
/// each call and each stream has its own buffers, the weights and the language model are shared. A call's
/// buffers are kept for the next call with the same options (`RecognizerPool`), so memory stays flat over
/// any number of calls.
public final class SpeechRecognizer: Sendable {
    public let model: AcousticModel
    /// The model file it came from, if any.
    public let modelPath: String?
    /// The decoding every transcription and stream uses.
    public let decoding: ResolvedDecoding
    /// The buffers of finished transcriptions, for the next ones.
    private let pool = RecognizerPool()

    /// Loads the model file at `modelPath` — by default the shipped model, found as `defaultModelPath()`
    /// says — with its LSTM weights in `precision` (`AcousticModel.withWeightPrecision`; default
    /// `defaultPrecision`), and what `decoding` names (by default the language model of the model's sidecar).
    /// - Throws: `ModelNotFound`, `ModelFileError`, `DecoderDefaultsError`, `ARPAError`, `DecodingOptionsError`:
    ///   each names the file or value and the cause.
    public static func load(
        model modelPath: String? = nil, precision: WeightPrecision = defaultPrecision,
        decoding: DecodingOptions = DecodingOptions()
    ) throws -> SpeechRecognizer {
        let path = try modelPath ?? defaultModelPath()
        return try SpeechRecognizer(
            model: AcousticModel.load(path: path).withWeightPrecision(precision), modelPath: path, decoding: decoding)
    }

    /// The weight precision `load` uses unless told otherwise.
    public static let defaultPrecision = WeightPrecision.f32

    /// A recognizer over a model already loaded; `modelPath` locates its sidecar for
    /// `DecodingOptions.LanguageModelChoice.modelDefault`.
    public init(model: AcousticModel, modelPath: String? = nil, decoding: DecodingOptions = DecodingOptions()) throws {
        self.model = model
        self.modelPath = modelPath
        self.decoding = try ResolvedDecoding(options: decoding, modelPath: modelPath, alphabet: model.config.alphabet)
    }

    /// A recognizer over the same model and language model whose decoding favours `hotwords` instead of this
    /// one's (for a request or a stream of its own); nothing is reloaded.
    /// - Throws: `DecodingOptionsError` (greedy decoding has no hotwords), `Hotwords.Error`.
    public func replacingHotwords(_ hotwords: [Hotwords.Entry]) throws -> SpeechRecognizer {
        SpeechRecognizer(model: model, modelPath: modelPath, resolved: try decoding.replacingHotwords(hotwords))
    }

    private init(model: AcousticModel, modelPath: String?, resolved: ResolvedDecoding) {
        self.model = model
        self.modelPath = modelPath
        self.decoding = resolved
    }

    /// Sample rate the model listens at, in Hz (16000 for the shipped model); other rates are resampled.
    public var sampleRate: Int { Int(model.config.features.frame.sampleRate) }

    /// Transcribes an audio file (anything libsndfile reads: WAV, FLAC, OGG, …, any rate, mono or mixed down),
    /// reading it in blocks; memory stays bounded by one segment however long the file. `progress` gets the
    /// seconds of audio done; `posteriors` gets what the model heard in each segment (its log-probabilities
    /// per step, with their times), as the segment is decoded.
    public func transcribe(
        file path: String, options: TranscriptionOptions = TranscriptionOptions(),
        progress: (Double) -> Void = { _ in }, posteriors: (SegmentPosteriors) -> Void = { _ in }
    ) throws -> Transcript {
        // Opens the file once, with every check `AudioFile.read` makes (missing, empty, not audio, cut off, …).
        try transcribe(
            source: AudioFileReader(path: path), options: options, progress: progress, posteriors: posteriors)
    }

    /// Transcribes audio from `source` until it ends — standard input or a pipe as an `AudioStreamReader`
    /// (`try recognizer.transcribe(source: AudioStreamReader(fileDescriptor: 0, format: .wav))`), or an open
    /// `AudioFileReader` — reading it in blocks, in memory bounded by one segment however long it runs.
    /// `progress` gets the seconds of audio done; `posteriors` what the model heard in each segment.
    public func transcribe(
        source: some AudioBlockSource, options: TranscriptionOptions = TranscriptionOptions(),
        progress: (Double) -> Void = { _ in }, posteriors: (SegmentPosteriors) -> Void = { _ in }
    ) throws -> Transcript {
        try pool.withRecognizer(model: model, options: options, decoding: decoding) {
            try $0.transcribe(source: source, progress: progress, posteriors: posteriors)
        }
    }

    /// Transcribes mono samples in [−1, 1] at `sampleRate` Hz; `posteriors` gets what the model heard in each
    /// segment (its log-probabilities per step, with their times), as the segment is decoded.
    public func transcribe(
        samples: [Float], sampleRate: Int, options: TranscriptionOptions = TranscriptionOptions(),
        posteriors: (SegmentPosteriors) -> Void = { _ in }
    ) throws -> Transcript {
        try pool.withRecognizer(model: model, options: options, decoding: decoding) {
            try $0.transcribe(samples: samples, sampleRate: sampleRate, posteriors: posteriors)
        }
    }

    /// A live stream over this recognizer's model and decoding: feed it samples as they arrive
    /// (`StreamRecognizer.accept(samples:)`) and get partial and final results.
    public func stream(options: StreamingOptions = StreamingOptions()) throws -> StreamRecognizer {
        try StreamRecognizer(model: model, options: options, decoding: decoding)
    }
}

extension SpeechRecognizer {
    /// The shipped model's file name.
    public static let shippedModelName = "earshot-en.safetensors"

    /// Where the shipped model is looked for, in order: `$EARSHOT_MODEL`; `Models/earshot-en.safetensors` in
    /// the folders above the running executable (a package's `.build/<configuration>/` build); in the current
    /// folder; `/usr/local/share/earshot/`.
    public static var defaultModelCandidates: [String] {
        var candidates: [String] = []
        if let environment = ProcessInfo.processInfo.environment["EARSHOT_MODEL"], !environment.isEmpty {
            candidates.append(environment)
        }
        // .build/<configuration>/earshot → the package root is two levels up from the executable's folder.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("Models/\(shippedModelName)").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Models/\(shippedModelName)")
        candidates.append("/usr/local/share/earshot/\(shippedModelName)")
        var seen = Set<String>()
        return candidates.filter { seen.insert(URL(fileURLWithPath: $0).standardized.path).inserted }
    }

    /// The first of `defaultModelCandidates` that exists.
    /// - Throws: `ModelNotFound` listing where it looked.
    public static func defaultModelPath() throws(ModelNotFound) -> String {
        let candidates = defaultModelCandidates
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ModelNotFound(candidates: candidates)
        }
        return found
    }
}

/// No model was named and none is in any default place.
public struct ModelNotFound: Error, Sendable, CustomStringConvertible {
    /// The places looked at, in order.
    public var candidates: [String]

    public var description: String {
        "no model given and none found; looked for:\n" + candidates.map { "  \($0)" }.joined(separator: "\n")
            + "\ngive one with --model or $EARSHOT_MODEL (or train one with 'earshot train')"
    }
}
