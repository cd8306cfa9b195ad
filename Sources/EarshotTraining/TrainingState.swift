/// Where a training run is: everything besides weights and optimizer moments that a resumed run needs
/// to continue exactly as if it had never stopped. Stored as JSON in a checkpoint's metadata.
public struct TrainingState: Codable, Sendable, Equatable {
    /// The epoch under way, from 0.
    public var epoch = 0
    /// Batches of `epoch` already trained on; the next one to run.
    public var batchInEpoch = 0
    /// Optimizer steps taken (batches applied), over the whole run.
    public var step = 0
    /// Best validation CER so far (1 = none yet).
    public var bestCER = Double.infinity
    /// Epochs since `bestCER` last improved.
    public var epochsWithoutImprovement = 0
    /// Batches skipped because their loss or gradient was NaN or infinite.
    public var skippedNonFiniteBatches = 0
    /// Utterances left out of a batch because their transcript could not fit their frames.
    public var skippedImpossibleUtterances = 0
    /// Per finished epoch: mean training loss, validation CER/WER, learning rate and skipped batches (what
    /// `earshot plot --training` draws).
    public var history: [EpochSummary] = []
    /// Whether the run ended (epochs done or early stop); resuming a finished run does nothing.
    public var finished = false

    public init() {}

    /// Checks the state can be resumed: every count (`epoch`, `batchInEpoch`, `step`,
    /// `epochsWithoutImprovement`, `skippedNonFiniteBatches`, `skippedImpossibleUtterances`) at least 0,
    /// and `bestCER` at least 0 (infinity: none yet; not NaN).
    public func validate() throws(TrainingStateError) {
        let counts = [
            ("epoch", epoch), ("batchInEpoch", batchInEpoch), ("step", step),
            ("epochsWithoutImprovement", epochsWithoutImprovement),
            ("skippedNonFiniteBatches", skippedNonFiniteBatches),
            ("skippedImpossibleUtterances", skippedImpossibleUtterances),
        ]
        for (field, value) in counts where value < 0 {
            throw TrainingStateError(field: field, requirement: "must be at least 0, got \(value)")
        }
        guard bestCER >= 0 else {
            throw TrainingStateError(field: "bestCER", requirement: "must be at least 0, got \(bestCER)")
        }
    }
}

/// What one epoch achieved.
public struct EpochSummary: Codable, Sendable, Equatable {
    public var epoch: Int
    /// Mean CTC loss per utterance over the epoch's batches (nats).
    public var trainingLoss: Double
    public var validationCER: Double
    public var validationWER: Double
    /// Wall-clock seconds the epoch took (training and validation).
    public var seconds: Double
    /// The learning rate of the epoch's last optimizer step (nil in checkpoints written before it was kept).
    public var learningRate: Float?
    /// Batches of this epoch skipped because their loss or gradient was not finite (nil in checkpoints
    /// written before it was kept).
    public var skippedBatches: Int?

    public init(
        epoch: Int, trainingLoss: Double, validationCER: Double, validationWER: Double, seconds: Double,
        learningRate: Float? = nil, skippedBatches: Int? = nil
    ) {
        self.epoch = epoch
        self.trainingLoss = trainingLoss
        self.validationCER = validationCER
        self.validationWER = validationWER
        self.seconds = seconds
        self.learningRate = learningRate
        self.skippedBatches = skippedBatches
    }
}
