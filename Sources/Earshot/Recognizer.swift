import EarshotAudio
import EarshotDecoding
import EarshotFeatures
import EarshotNN
import Foundation

/// Turns audio into a `Transcript` with one `AcousticModel`: streams the audio in blocks, cuts it into
/// segments at quiet points (`AudioSegmenter`), runs the model on each and decodes it, keeping times
/// absolute. Memory is bounded by one segment whatever the length of the audio.
///
/// The model is shared and read-only; a recognizer owns its workspace, so use one recognizer per
/// thread.
public final class Recognizer {
    public let model: AcousticModel
    public let options: RecognizerOptions
    private let pipeline: FeaturePipeline
    private let workspace: AcousticModel.Workspace
    /// Runs the model chunk by chunk when `options.latencyControl` asks for it.
    private let chunkedEncoder: LatencyControlledEncoder?
    private let decoder: SegmentDecoder

    /// - Parameters:
    ///   - model: the acoustic model; shared and read-only.
    ///   - options: how to segment and decode.
    ///   - languageModel: a word n-gram model applied at word boundaries (beam search only); shared.
    ///   - hotwords: words and phrases to favour (beam search only).
    public init(
        model: AcousticModel, options: RecognizerOptions = RecognizerOptions(),
        languageModel: (any LanguageModel)? = nil, hotwords: Hotwords = .none
    ) throws {
        self.model = model
        self.options = options
        pipeline = try FeaturePipeline(config: model.config, normalizer: model.normalizer)
        workspace = AcousticModel.Workspace(model: model)
        chunkedEncoder = options.latencyControl.map { LatencyControlledEncoder(model: model, control: $0) }
        decoder = try SegmentDecoder(config: model.config, beamSearch: options.beamSearch,
                                     languageModel: languageModel, hotwords: hotwords)
    }

    /// Sample rate the model listens at, in Hz.
    public var sampleRate: Int { pipeline.sampleRate }

    /// Transcribes an audio file, reading it in 1 s blocks. `progress` gets the seconds of audio done.
    public func transcribe(path: String, progress: (Double) -> Void = { _ in }) throws -> Transcript {
        let info = try AudioFile.info(path: path)  // names the file for missing, empty, not audio, …
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AudioError(path: path, reason: .ioError(String(cString: strerror(errno)))) }
        defer { close(fd) }
        let reader = try AudioStreamReader(fileDescriptor: fd, format: .wav, name: path)
        var resampler = Resampler(from: info.sampleRate, to: sampleRate)
        var segmenter = AudioSegmenter(sampleRate: sampleRate, maximumSeconds: options.segmentSeconds)
        var segments: [TranscriptSegment] = []
        var total = 0
        while let block = try reader.read(maxFrames: info.sampleRate) {
            let samples = resampler.process(block)
            total += samples.count
            for segment in segmenter.accept(samples) { segments.append(try decode(segment)) }
            progress(Double(total) / Double(sampleRate))
        }
        let tail = resampler.flush()
        total += tail.count
        for segment in segmenter.accept(tail) { segments.append(try decode(segment)) }
        if let last = segmenter.finish() { segments.append(try decode(last)) }
        return Transcript(segments: segments, duration: Double(total) / Double(sampleRate))
    }

    /// Transcribes samples at `sampleRate` Hz (resampled to the model's rate if needed).
    public func transcribe(samples: [Float], sampleRate rate: Int) throws -> Transcript {
        let audio = rate == sampleRate ? samples : Resampler.resample(samples, from: rate, to: sampleRate)
        var segmenter = AudioSegmenter(sampleRate: sampleRate, maximumSeconds: options.segmentSeconds)
        var segments = try segmenter.accept(audio).map(decode)
        if let last = segmenter.finish() { segments.append(try decode(last)) }
        return Transcript(segments: segments, duration: Double(audio.count) / Double(sampleRate))
    }

    /// Model posteriors of one segment and its decoding.
    private func decode(_ segment: AudioSegmenter.Segment) throws -> TranscriptSegment {
        let start = Double(segment.startSample) / Double(sampleRate)
        let end = start + Double(segment.samples.count) / Double(sampleRate)
        // A segment shorter than one frame (the tail of a file) has nothing to decode.
        guard segment.samples.count >= model.config.features.frame.windowSize else {
            return TranscriptSegment(start: start, end: end, text: "", words: [], confidence: 1, alternatives: nil)
        }
        let input = try pipeline.modelInput(segment.samples)
        let scores = chunkedEncoder?.logProbabilities(input) ?? model.logProbabilities(input, workspace: workspace)
        return scores.values.withUnsafeBufferPointer {
            decoder.decode($0, steps: scores.frameCount, start: start, duration: end - start)
        }
    }
}

/// How a `Recognizer` decodes.
public struct RecognizerOptions: Codable, Sendable, Equatable {
    /// Longest stretch of audio decoded at once, in seconds; longer audio is cut at quiet points.
    /// Default 30.
    public var segmentSeconds: Double = 30
    /// CTC prefix beam search, or nil for greedy (best-path) decoding. Default: beam search with its
    /// defaults (beam 32), which costs under a millisecond per 10 s of audio.
    public var beamSearch: BeamSearchOptions? = BeamSearchOptions()
    /// Runs the model chunk by chunk as `StreamRecognizer` does (`LatencyControlledEncoder`: chunks of
    /// `Nc` steps, `Nr` steps of look-ahead), to measure what streaming costs in accuracy; nil (default)
    /// for whole segments.
    public var latencyControl: LatencyControl?

    public init() {}
}
