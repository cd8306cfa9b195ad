import EarshotAudio
import EarshotDecoding
import EarshotFeatures
import EarshotNN

/// One transcription's worth of state over a shared `AcousticModel`: streams the audio in blocks, cuts it
/// into segments at quiet points (`AudioSegmenter`), runs the model on each and decodes it, keeping times
/// absolute. Memory is bounded by one segment whatever the length of the audio. Owns its workspaces: one
/// per thread (`SpeechRecognizer` keeps them in a `RecognizerPool` for the calls that follow).
package final class Recognizer {
    package let model: AcousticModel
    package let options: TranscriptionOptions
    private let stage: ModelInputStage
    private let workspace: AcousticModel.Workspace
    /// Runs the model chunk by chunk when `options.latencyControl` asks for it.
    private let chunkedEncoder: LatencyControlledEncoder?
    private let decoder: SegmentDecoder

    package init(
        model: AcousticModel, options: TranscriptionOptions = TranscriptionOptions(),
        decoding: ResolvedDecoding
    ) throws {
        try options.validate()
        self.model = model
        self.options = options
        stage = try model.inputStage()
        workspace = AcousticModel.Workspace(model: model)
        workspace.schedule = options.schedule
        chunkedEncoder = options.latencyControl.map { LatencyControlledEncoder(model: model, control: $0) }
        decoder = try SegmentDecoder(config: model.config, decoding: decoding)
    }

    /// Sample rate the model listens at, in Hz.
    package var sampleRate: Int { stage.sampleRate }

    /// Transcribes what `source` gives until it ends, reading it in 1 s blocks: resampled to the model's
    /// rate and decoded in segments as they close, so memory holds one segment however long the audio.
    /// `progress` gets the seconds of audio done, `posteriors` the model's output of each segment.
    package func transcribe(
        source: some AudioBlockSource, progress: (Double) -> Void = { _ in },
        posteriors: (SegmentPosteriors) -> Void = { _ in }
    ) throws -> Transcript {
        var resampler = Resampler(from: source.sampleRate, to: sampleRate)
        var segmenter = AudioSegmenter(sampleRate: sampleRate, maximumSeconds: options.segmentSeconds)
        var segments: [TranscriptSegment] = []
        var total = 0
        while let block = try source.read(maxFrames: source.sampleRate) {
            let samples = resampler.process(block)
            total += samples.count
            for segment in segmenter.accept(samples) { segments.append(try decode(segment, posteriors)) }
            progress(Double(total) / Double(sampleRate))
        }
        let tail = resampler.flush()
        total += tail.count
        for segment in segmenter.accept(tail) { segments.append(try decode(segment, posteriors)) }
        if let last = segmenter.finish() { segments.append(try decode(last, posteriors)) }
        return Transcript(segments: segments, duration: Double(total) / Double(sampleRate))
    }

    /// Transcribes samples at `sampleRate` Hz (resampled to the model's rate if needed); `posteriors` gets
    /// the model's output of each segment as it is decoded.
    package func transcribe(
        samples: [Float], sampleRate rate: Int, posteriors: (SegmentPosteriors) -> Void = { _ in }
    ) throws -> Transcript {
        let audio = rate == sampleRate ? samples : Resampler.resample(samples, from: rate, to: sampleRate)
        var segmenter = AudioSegmenter(sampleRate: sampleRate, maximumSeconds: options.segmentSeconds)
        var segments = try segmenter.accept(audio).map { try decode($0, posteriors) }
        if let last = segmenter.finish() { segments.append(try decode(last, posteriors)) }
        return Transcript(segments: segments, duration: Double(audio.count) / Double(sampleRate))
    }

    /// Model posteriors of one segment (handed to `posteriors`) and its decoding.
    private func decode(
        _ segment: AudioSegmenter.Segment, _ posteriors: (SegmentPosteriors) -> Void
    ) throws -> TranscriptSegment {
        let start = Double(segment.startSample) / Double(sampleRate)
        let end = start + Double(segment.samples.count) / Double(sampleRate)
        // A segment shorter than one frame (the tail of a file) has nothing to decode.
        guard segment.samples.count >= model.config.features.frame.windowSize else {
            return TranscriptSegment(start: start, end: end, text: "", words: [], confidence: 1, alternatives: nil)
        }
        let input = try stage.modelInput(samples: segment.samples)
        let scores = chunkedEncoder?.logProbabilities(input) ?? model.logProbabilities(input, workspace: workspace)
        posteriors(
            SegmentPosteriors(
                start: start, secondsPerStep: model.config.secondsPerStep, outputCount: scores.dimension,
                logProbabilities: scores.values))
        return scores.values.withUnsafeBufferPointer {
            decoder.decode($0, steps: scores.frameCount, start: start, duration: end - start)
        }
    }
}
