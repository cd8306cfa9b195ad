import EarshotDecoding
import EarshotFeatures
import EarshotNN
import Foundation

/// What a `StreamRecognizer` reports as audio arrives.
public enum StreamEvent: Sendable, Equatable {
    /// The current utterance as decoded so far; later partials and the final may differ.
    case partial(TranscriptSegment)
    /// A finished utterance (ended by trailing silence, by its maximum length, or by the end of the stream).
    case final(TranscriptSegment)

    /// The segment either way.
    public var segment: TranscriptSegment {
        switch self {
        case .partial(let segment), .final(let segment): return segment
        }
    }

    public var isFinal: Bool {
        if case .final = self { return true }
        return false
    }
}

/// Live recognition of one audio stream over a shared `AcousticModel`: feed samples in blocks of any
/// size and get partial hypotheses while someone speaks and a final segment when they stop.
///
/// The path of the samples, all of it incremental:
/// the model's `ModelInputStage` (filterbank and frame stacking, the same steps as a file's) → an energy
/// gate → the stage's normalisation of the steps that reach the model (the global mean, or for
/// `.utteranceMean` models a causal running mean of the utterance's frames, restarted from the global
/// prior at each endpoint as the encoder is, so that silence between utterances never pulls it down) →
/// `LatencyControlledEncoder`
/// (chunks of `chunkSteps` with `lookaheadSteps` of look-ahead) → per-step log-probabilities of the
/// current utterance → beam search by default (`SegmentDecoder`, as offline), for partials and finals.
///
/// Endpointing is by energy, before the model, and by the model: a model step (30 ms of samples) is
/// loud when its mean power reaches `speechThresholdDBFS`. An utterance starts at a loud step (with `paddingSeconds` of the
/// silence before it) and ends after `endpointSilenceSeconds` of silence; the model gets the utterance
/// with `paddingSeconds` of silence on either side and shorter pauses inside, each utterance from a fresh
/// state (as the offline `Recognizer` decodes each segment) — long silences never reach it, so a model
/// trained on short clips does not drift or hallucinate in them. An utterance reaching
/// `maximumSegmentSeconds` is ended anyway, and so is one whose decoded steps have been blank (no letter)
/// for `endpointBlankSeconds` after a letter, however loud the audio (steady noise, hum) — as Kaldi's
/// and Vosk's endpointers end on trailing silence in the decoding. Memory holds at most one utterance of log-probabilities
/// (30 s · 29 values · 4 bytes ≈ 116 KB by default) and one endpoint's worth of held steps, however
/// long the stream runs.
///
/// Times are seconds from the start of the stream; a final's end is that of its last emitted letter's
/// step span. Not thread-safe: one recognizer per stream.
public final class StreamRecognizer {
    public let model: AcousticModel
    public let options: StreamingOptions
    /// Samples to raw model steps, and their normalisation when fed (restarted at each endpoint).
    private var stage: ModelInputStage
    private let encoder: LatencyControlledEncoder
    private let decoder: SegmentDecoder
    /// The next model step to come out of the stage.
    private var nextStep: Int { stage.stepCount }
    /// Mean power of each complete step's samples not yet stacked; entry 0 is step `nextStep`.
    private var stepPowers: [Double] = []
    /// Sum of squares of the samples of the step being filled, and how many there are.
    private var partialPower = 0.0, partialCount = 0
    /// Inside an utterance (the encoder has been fed since its last reset).
    private var speaking = false
    /// Model input steps (raw stacked frames, normalised when fed) held back: silence before an utterance
    /// (the last `padding` steps) or after its last loud step (up to the endpoint). `(n, I)`; row 0 is step
    /// `heldStart`.
    private var held: [Float] = []
    private var heldStart = 0
    /// Log-probabilities `(n, V)` of the current utterance; row 0 is model step `segmentStart`.
    private var segmentScores: [Float] = []
    private var segmentStart = 0
    private var lastPartial: String?
    /// Decoded steps of the current utterance since its last non-blank argmax, and whether it had one.
    private var trailingBlankSteps = 0, heardLetter = false
    private var finished = false
    /// Samples received so far.
    public private(set) var sampleCount = 0

    /// A stream over `model`, decoded as `decoding` says (see `SpeechRecognizer.stream`).
    package init(model: AcousticModel, options: StreamingOptions, decoding: ResolvedDecoding) throws {
        try options.validate()
        self.model = model
        self.options = options
        stage = try model.inputStage(
            windowFrames: options.normalizationWindowFrames, priorFrames: options.normalizationPriorFrames)
        encoder = LatencyControlledEncoder(model: model, control: options.latencyControl)
        decoder = try SegmentDecoder(config: model.config, decoding: decoding)
    }

    /// Sample rate the recognizer expects, in Hz.
    public var sampleRate: Int { Int(model.config.features.frame.sampleRate) }

    private var samplesPerStep: Int { stage.samplesPerStep }
    private var inputSize: Int { model.config.inputSize }
    private var paddingSteps: Int { Int((options.paddingSeconds / model.config.secondsPerStep).rounded()) }
    private var endpointSteps: Int {
        max(1, Int((options.endpointSilenceSeconds / model.config.secondsPerStep).rounded()))
    }
    /// 0 when the model-based endpoint is off.
    private var blankEndpointSteps: Int { Int((options.endpointBlankSeconds / model.config.secondsPerStep).rounded()) }

    /// Feeds samples (in [−1, 1] at `sampleRate`) and returns what they decided: zero or more finals
    /// and at most one partial (the last event, when the current utterance's text changed).
    public func accept(samples: [Float]) throws -> [StreamEvent] {
        precondition(!finished, "accept after finish")
        sampleCount += samples.count
        measurePower(samples)
        let steps = try stage.accept(samples: samples)
        let decoded = segmentSteps
        var events = gate(stepsWithLoudness(steps))
        if speaking && segmentSteps > decoded, let segment = decodeSegment(steps: segmentSteps), !segment.text.isEmpty,
            segment.text != lastPartial
        {
            lastPartial = segment.text
            events.append(.partial(segment))
        }
        return events
    }

    /// Ends the stream: decodes everything still held and returns the last final (if anything was said).
    public func finish() throws -> [StreamEvent] {
        guard !finished else { return [] }
        finished = true
        if partialCount > 0 { stepPowers.append(partialPower / Double(partialCount)) }
        var events = gate(stepsWithLoudness(stage.finish()))
        if speaking { events += endUtterance(feeding: heldSteps) }
        return events
    }

    // MARK: - Samples to model steps

    /// Mean power per step of samples (`samplesPerStep` each, aligned with the model steps).
    private func measurePower(_ samples: [Float]) {
        let n = samplesPerStep
        for x in samples {
            partialPower += Double(x * x)
            partialCount += 1
            if partialCount == n {
                stepPowers.append(partialPower / Double(n))
                partialPower = 0
                partialCount = 0
            }
        }
    }

    /// Raw model steps `(n, I)` just out of the stage (they end at step `nextStep`), each with whether its
    /// samples were loud. A step's samples have all arrived before its frames (at the end of the stream, the
    /// last step's may be partial).
    private func stepsWithLoudness(_ steps: FeatureMatrix) -> [(row: ArraySlice<Float>, loud: Bool)] {
        let threshold = pow(10, options.speechThresholdDBFS / 10)
        return (0..<steps.frameCount).map { i in
            let power = stepPowers.isEmpty ? 0 : stepPowers.removeFirst()
            return (steps[frame: i], power >= threshold)
        }
    }

    // MARK: - The energy gate

    private var heldSteps: Int { held.count / inputSize }

    /// Routes each step (step numbers continue from `nextStep − steps.count`): silence outside an
    /// utterance is held as padding, speech starts or continues one, and a long silence ends it.
    private func gate(_ steps: [(row: ArraySlice<Float>, loud: Bool)]) -> [StreamEvent] {
        var events: [StreamEvent] = []
        var step = nextStep - steps.count
        let maximumSteps = Int(options.maximumSegmentSeconds / model.config.secondsPerStep)
        for (row, loud) in steps {
            if heldSteps == 0 { heldStart = step }
            held += row
            step += 1
            if !speaking {
                if loud {
                    speaking = true
                    segmentStart = heldStart
                    feed(heldSteps)
                } else if heldSteps > paddingSteps {
                    held.removeFirst((heldSteps - paddingSteps) * inputSize)
                    heldStart = step - heldSteps
                }
            } else if loud {
                feed(heldSteps)
                if blankEndpointSteps > 0 && heardLetter && trailingBlankSteps >= blankEndpointSteps {
                    events += endUtterance(feeding: 0)
                }
            } else if heldSteps >= endpointSteps {
                events += endUtterance(feeding: paddingSteps)
            }
            if speaking && step - segmentStart >= maximumSteps {
                events += endUtterance(feeding: heldSteps)
            }
        }
        return events
    }

    /// Gives the first `count` held steps to the encoder and keeps their log-probabilities.
    private func feed(_ count: Int) {
        guard count > 0 else { return }
        let n = min(count, heldSteps)
        var input = FeatureMatrix(frameCount: n, dimension: inputSize, values: Array(held[..<(n * inputSize)]))
        stage.normalize(&input, firstStep: heldStart)
        held.removeFirst(n * inputSize)
        heldStart += n
        track(encoder.accept(input).values)
    }

    /// Appends log-probability rows `(n, V)` to the utterance and follows its trailing blanks.
    private func track(_ rows: [Float]) {
        let v = model.config.outputSize
        for start in stride(from: 0, to: rows.count, by: v) {
            var best = 0
            for k in 1..<v where rows[start + k] > rows[start + best] { best = k }
            if best == Alphabet.blank { trailingBlankSteps += 1 } else { trailingBlankSteps = 0; heardLetter = true }
        }
        segmentScores += rows
    }

    /// Feeds `count` more held steps, flushes the encoder, returns the utterance's final (if any words)
    /// and starts afresh; the steps still held become the next utterance's leading padding.
    private func endUtterance(feeding count: Int) -> [StreamEvent] {
        feed(count)
        track(encoder.finish().values)
        let final = decodeSegment(steps: segmentSteps).flatMap { $0.text.isEmpty ? nil : $0 }
        encoder.reset()
        stage.restartNormalization()
        segmentScores.removeAll(keepingCapacity: true)
        lastPartial = nil
        trailingBlankSteps = 0
        heardLetter = false
        speaking = false
        if heldSteps > paddingSteps {
            held.removeFirst((heldSteps - paddingSteps) * inputSize)
            heldStart = nextStep - heldSteps
        }
        return final.map { [.final($0)] } ?? []
    }

    // MARK: - Log-probabilities to segments

    private var segmentSteps: Int { segmentScores.count / model.config.outputSize }

    /// Decoding of the first `steps` steps of the current utterance, with word times; the end is that of
    /// the last word. Partials and finals decode alike (beam search costs ~2 ms for 30 s), so a word
    /// shown in a partial stays as it is unless later audio changes it.
    private func decodeSegment(steps: Int) -> TranscriptSegment? {
        guard steps > 0 else { return nil }
        let v = model.config.outputSize
        let start = Double(segmentStart) * model.config.secondsPerStep
        return segmentScores.withUnsafeBufferPointer { all in
            decoder.decode(
                UnsafeBufferPointer(rebasing: all[0..<(steps * v)]), steps: steps, start: start,
                duration: nil)
        }
    }
}
