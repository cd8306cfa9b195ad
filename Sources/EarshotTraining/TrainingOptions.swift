import EarshotNN

/// How `Trainer` trains: optimisation, batching, augmentation and stopping. Every default is what
/// `earshot train` uses when no flag is given.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Passes over the training set at most. Default 30.
    public var epochs: Int = 30
    /// Utterances per batch. Default 16.
    public var batchSize: Int = 16
    /// Peak learning rate of Adam, reached after warm-up. Default 1e-3.
    public var learningRate: Float = 1e-3
    /// Steps of linear warm-up from 0 to the peak. Default 200.
    public var warmupSteps: Int = 200
    /// Gradients are rescaled so their global L2 norm is at most this. Default 5.
    public var maxGradientNorm: Float = 5
    /// Seed of every random choice (initialisation, shuffling, dropout, augmentation). Default 1.
    public var seed: UInt64 = 1
    /// Epochs without a better validation CER before stopping; 0 never stops early. Default 5.
    public var patience: Int = 5
    /// SpecAugment: time masks per utterance (0 disables). Default 2.
    public var timeMasks: Int = 2
    /// SpecAugment: widest time mask, in feature frames. Default 20 (0.2 s).
    public var maxTimeMaskFrames: Int = 20
    /// SpecAugment: frequency masks per utterance (0 disables). Default 2.
    public var frequencyMasks: Int = 2
    /// SpecAugment: widest frequency mask, in mel bins. Default 10.
    public var maxFrequencyMaskBins: Int = 10
    /// Speed perturbation factors drawn per utterance and epoch (resampling); `[1]` disables. Default
    /// `[0.9, 1.0, 1.1]`, as in Kaldi's recipes.
    public var speedFactors: [Double] = [0.9, 1.0, 1.1]
    /// Vocal-tract-length perturbation: a warp factor drawn per utterance and step, applied to the raw
    /// log-mel features (`VocalTractWarp`); nil disables it. Default ±10 % (`0.9…1.1`), the usual range
    /// since Jaitly & Hinton 2013: the same clips then sound like more speakers, which is what a model
    /// trained on a few voices lacks. (A checkpoint written before this option existed reads as nil, so
    /// it resumes as it was trained.)
    public var vocalTractPerturbation: VocalTractPerturbation? = .standard
    /// Bidirectional layers, counted from the input, whose weights stay fixed (fine-tuning). Default 0.
    public var frozenLayers: Int = 0
    /// Latency-controlled training, so that the model streams well (`earshot stream`); `nil` (default):
    /// whole utterances only.
    public var chunkedTraining: ChunkedTraining? = nil

    /// Trains a share of the batches the way a streaming recognizer runs the model: the reverse
    /// directions on chunks of `Nc` steps plus `Nr` steps of look-ahead (`LatencyControl`).
    public struct ChunkedTraining: Codable, Sendable, Equatable {
        /// `Nc` and `Nr`, in model steps (30 ms with the default 3-frame stacking).
        public var control: LatencyControl
        /// Share of the batches trained chunked, drawn per batch; the others see whole utterances, so
        /// that one model serves offline and streaming decoding. In (0, 1].
        public var share: Double

        /// Any values, as a decoded one may hold; `validate()` checks they can train.
        public init(control: LatencyControl, share: Double = 1) {
            self.control = control
            self.share = share
        }

        /// Checks `control` (`LatencyControl.validate()`, as `control.chunkSteps`, …) and that `share` is in (0, 1].
        public func validate() throws(TrainingOptionsError) {
            do {
                try control.validate()
            } catch {
                throw TrainingOptionsError(field: error.field, requirement: error.requirement).inField("control")
            }
            guard share > 0, share <= 1 else {
                throw TrainingOptionsError(field: "share", requirement: "must be in (0, 1], got \(share)")
            }
        }
    }

    public init() {}
}

extension TrainingOptions {
    /// Most epochs accepted: 100 000, far beyond any run (the default is 30); keeps the schedule's step
    /// count (epochs × batches) from overflowing.
    public static let maximumEpochs = 100_000
    /// Largest batch accepted: 4096 utterances (the default is 16); a batch's features, activations and
    /// gradients are allocated at once.
    public static let maximumBatchSize = 4096
    /// Most warm-up steps accepted: 10 million, longer than any run; keeps the schedule's sums from overflowing.
    public static let maximumWarmupSteps = 10_000_000
    /// Most SpecAugment masks of each kind per utterance: 100 (the default is 2); each mask is a pass over
    /// the utterance.
    public static let maximumMasks = 100
    /// Speed factors accepted: ×0.5…×2, beyond which speech stops sounding like speech.
    public static let allowedSpeedFactors: ClosedRange<Double> = 0.5...2
    /// Most speed factors accepted: 16 (the default has 3); the feature cache holds every clip at every speed.
    public static let maximumSpeedFactorCount = 16

    /// Checks every option can train; throws naming the first field that cannot:
    /// - `epochs` in 1…`maximumEpochs`, `batchSize` in 1…`maximumBatchSize`;
    /// - `learningRate` positive and finite, `maxGradientNorm` positive;
    /// - `warmupSteps` in 0…`maximumWarmupSteps`, `patience` at least 0;
    /// - `timeMasks` and `frequencyMasks` in 0…`maximumMasks`, `maxTimeMaskFrames` and
    ///   `maxFrequencyMaskBins` at least 0;
    /// - `speedFactors`: 1…`maximumSpeedFactorCount` factors, each in `allowedSpeedFactors`;
    /// - `vocalTractPerturbation`: `VocalTractPerturbation.validate()`;
    /// - `frozenLayers` at least 0 (at most the model's layers: checked by `Trainer`, which has the model);
    /// - `chunkedTraining`: `ChunkedTraining.validate()`.
    public func validate() throws(TrainingOptionsError) {
        try TrainingOptionsError.check("epochs", epochs, in: 1...Self.maximumEpochs)
        try TrainingOptionsError.check("batchSize", batchSize, in: 1...Self.maximumBatchSize)
        guard learningRate > 0, learningRate.isFinite else {
            throw TrainingOptionsError(
                field: "learningRate", requirement: "must be positive and finite, got \(learningRate)")
        }
        try TrainingOptionsError.check("warmupSteps", warmupSteps, in: 0...Self.maximumWarmupSteps)
        guard maxGradientNorm > 0 else {
            throw TrainingOptionsError(
                field: "maxGradientNorm", requirement: "must be positive, got \(maxGradientNorm)")
        }
        try TrainingOptionsError.check("patience", patience, in: 0...Int.max)
        try TrainingOptionsError.check("timeMasks", timeMasks, in: 0...Self.maximumMasks)
        try TrainingOptionsError.check("maxTimeMaskFrames", maxTimeMaskFrames, in: 0...Int.max)
        try TrainingOptionsError.check("frequencyMasks", frequencyMasks, in: 0...Self.maximumMasks)
        try TrainingOptionsError.check("maxFrequencyMaskBins", maxFrequencyMaskBins, in: 0...Int.max)
        try validateSpeedFactors()
        do { try vocalTractPerturbation?.validate() } catch { throw error.inField("vocalTractPerturbation") }
        try TrainingOptionsError.check("frozenLayers", frozenLayers, in: 0...Int.max)
        do { try chunkedTraining?.validate() } catch { throw error.inField("chunkedTraining") }
    }

    private func validateSpeedFactors() throws(TrainingOptionsError) {
        let allowed = Self.allowedSpeedFactors
        guard !speedFactors.isEmpty, speedFactors.count <= Self.maximumSpeedFactorCount else {
            throw TrainingOptionsError(
                field: "speedFactors",
                requirement: "must hold 1…\(Self.maximumSpeedFactorCount) factors, got \(speedFactors.count)")
        }
        if let factor = speedFactors.first(where: { !allowed.contains($0) }) {
            throw TrainingOptionsError(
                field: "speedFactors",
                requirement: "must be in \(allowed.lowerBound)…\(allowed.upperBound), got \(factor)")
        }
    }
}
