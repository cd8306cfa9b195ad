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

        public init(control: LatencyControl, share: Double = 1) {
            precondition(share > 0 && share <= 1, "share must be in (0, 1]")
            self.control = control
            self.share = share
        }
    }

    public init() {}
}
