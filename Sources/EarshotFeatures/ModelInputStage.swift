/// Audio → an acoustic model's input, one path for files, streams and training: log-mel filterbank
/// (`OnlineFbank`) → frame stacking (`FrameStacker`) → normalisation (`FeatureNormalizer`,
/// `FeatureNormalization`). Shapes: samples at `sampleRate` → frames (T, F) → steps (⌈T/stride⌉, count·F).
///
/// Incremental: `accept(samples:)` returns the steps whose frames have all arrived, raw, and
/// `normalize(_:firstStep:)` normalises steps when they are used — a stream normalises only the steps that
/// reach the model (its energy gate drops long silences first), each frame accepted into the running
/// mean (`OnlineFeatureNormalizer`) the first time a step holding it is normalised. With
/// `FeatureNormalization.global` the normalisation is the same per frame whenever it happens, so a stream
/// fed in blocks of any size produces exactly `modelInput(samples:)` of all its samples.
///
/// `modelInput(samples:)` and `modelInput(filterbank:augment:)` are the whole-utterance path (one chunk):
/// `.utteranceMean` then uses the mean of all the utterance's frames, as training does; a stream's running
/// mean can only follow it causally. Not thread-safe: one stage per stream (a copy starts from the same
/// state).
public struct ModelInputStage {
    /// The front end's options.
    public let features: FbankOptions
    public let stacking: FrameStacking
    /// Which mean is subtracted; the deviation is always `normalizer`'s.
    public let normalization: FeatureNormalization
    /// The training set's statistics.
    public let normalizer: FeatureNormalizer
    private var fbank: OnlineFbank
    private var stacker: FrameStacker
    private var running: OnlineFeatureNormalizer
    /// The first frame of the stream the running normaliser has not accepted.
    private var nextUnnormalizedFrame = 0

    /// - Parameters:
    ///   - windowFrames, priorFrames: the running mean of `.utteranceMean` streams
    ///     (`OnlineFeatureNormalizer`); unused by the whole-utterance path.
    public init(
        features: FbankOptions, stacking: FrameStacking, normalization: FeatureNormalization,
        normalizer: FeatureNormalizer, windowFrames: Int = 600, priorFrames: Int = 200
    ) throws(FeatureError) {
        do { try stacking.validate() } catch { throw error.inField("stacking") }
        guard normalizer.dimension == features.dimension else {
            throw .invalidOption(
                field: "normalizer",
                requirement:
                    "must have the filterbank's \(features.dimension) values per frame, has \(normalizer.dimension)")
        }
        self.features = features
        self.stacking = stacking
        self.normalization = normalization
        self.normalizer = normalizer
        fbank = try OnlineFbank(options: features)
        stacker = FrameStacker(stacking: stacking, dimension: features.dimension)
        running = OnlineFeatureNormalizer(
            global: normalizer, mode: normalization, windowFrames: windowFrames,
            priorFrames: priorFrames)
    }

    /// Sample rate the stage expects, in Hz.
    public var sampleRate: Int { Int(features.frame.sampleRate) }
    /// Values per step, `count · F` (the model's input size).
    public var stepSize: Int { stacker.stepSize }
    /// Samples per step (stride · frame shift).
    public var samplesPerStep: Int { stacking.stride * features.frame.windowShift }
    /// Steps returned so far: the index of the next one.
    public var stepCount: Int { stacker.stepCount }

    // MARK: - Incremental

    /// Feeds samples (in [−1, 1] at `sampleRate`) and returns the raw steps `(m, count·F)` now complete.
    public mutating func accept(samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        stacker.accept(try fbank.accept(samples))
    }

    /// Ends the stream: the last steps (the last frame repeated to fill them).
    public mutating func finish() -> FeatureMatrix {
        _ = stacker.accept(fbank.finish())
        return stacker.finish()
    }

    /// Normalises raw steps `(n, count·F)` in place, the first being step `firstStep` of the stream: each
    /// frame not yet accepted by the running normaliser is accepted before it is normalised (causal); a
    /// frame already accepted (overlapping steps, the repeated last frame) is normalised with the mean as it
    /// stands.
    public mutating func normalize(_ steps: inout FeatureMatrix, firstStep: Int) {
        precondition(steps.dimension == stepSize, "steps have \(steps.dimension) values, stage \(stepSize)")
        let f = features.dimension
        steps.values.withUnsafeMutableBufferPointer { x in
            for i in 0..<steps.frameCount {
                for slot in 0..<stacking.count {
                    let frame = stacker.frameIndex(step: firstStep + i, slot: slot)
                    let start = i * stepSize + slot * f
                    let values = UnsafeMutableBufferPointer(rebasing: x[start..<(start + f)])
                    if frame >= nextUnnormalizedFrame {
                        running.accept(UnsafeBufferPointer(values))
                        nextUnnormalizedFrame = frame + 1
                    }
                    running.normalize(values)
                }
            }
        }
    }

    /// Starts the running mean afresh from the global prior (a stream's new utterance): only frames of the
    /// steps normalised from now on count.
    public mutating func restartNormalization() {
        running.reset()
    }

    // MARK: - Whole utterances

    /// The model input of a whole utterance, `samples` at `sampleRate`: (⌈T/stride⌉, count·F).
    /// - Throws: `FeatureError.tooShort` when not even one frame fits, `.nonFiniteSample` for NaN/Inf.
    public func modelInput(samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        modelInput(filterbank: try filterbank(samples: samples))
    }

    /// The raw log-mel frames `(T, F)` of a whole utterance, `samples` at `sampleRate` (what a training
    /// cache keeps).
    /// - Throws: `FeatureError.tooShort` when not even one frame fits, `.nonFiniteSample` for NaN/Inf.
    public func filterbank(samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        try Fbank(options: features).compute(samples)
    }

    /// The model input of a whole utterance's raw log-mel frames `(T, F)` (a training cache's): normalised
    /// (`.utteranceMean`: with the mean of these frames), then `augment`ed (training's SpecAugment works on
    /// normalised frames), then stacked.
    public func modelInput(
        filterbank frames: FeatureMatrix, augment: (inout FeatureMatrix) -> Void = { _ in }
    ) -> FeatureMatrix {
        var normalized = frames
        normalizer.apply(to: &normalized, mode: normalization)
        augment(&normalized)
        return stacking.apply(normalized)
    }
}
