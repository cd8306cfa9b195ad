import Earshot
import EarshotAudio
import EarshotDecoding
import EarshotFeatures
import EarshotIO
import EarshotNN
import Foundation

/// Trains an `AcousticModel` with CTC on labelled utterances: Adam with warm-up and cosine decay,
/// gradient-norm clipping, batches bucketed by length, speed and vocal-tract-length perturbation and
/// SpecAugment, a greedy validation CER/WER after each epoch, the best and the last checkpoint kept,
/// early stopping.
///
/// Every random choice of a batch (speeds, VTLP warps, masks, dropout) is drawn from a generator derived
/// from (seed, step, utterance), and the batch plan of an epoch from (seed, epoch), so a run resumed from a
/// checkpoint takes exactly the steps an uninterrupted run takes.
///
/// Data-parallel: with a `ProcessGroup` of N processes (`mpirun -np N`), each computes and keeps the
/// features of every N-th training utterance and, at every step, the gradient of its share of the batch
/// (dealt out by length, so the shares are even; a clip another process keeps is featurised again); one sum
/// of a fused buffer (gradients and the step's counts) gives every process the batch's gradient, and all
/// take the same optimizer step. Since an utterance's random draws depend on nothing but (seed, step,
/// utterance), N processes take the steps one process takes, up to the order of the gradient sums. Rank 0
/// alone validates and writes checkpoints and the model.
public final class Trainer {
    /// The model being trained: its parameters change with every step; the model itself is replaced once,
    /// when the feature normaliser is computed from the training set.
    public internal(set) var model: AcousticModel
    public let options: TrainingOptions
    public internal(set) var state: TrainingState
    public let stopFlag = StopFlag()
    /// Folder of `last.safetensors` and `best.safetensors`.
    public let checkpointDirectory: String
    /// Where the best model so far is written as a model file (nil: only checkpoints).
    public let modelPath: String?

    /// The utterances trained and validated on; `prepare` leaves out those whose audio cannot be used.
    public internal(set) var training: [ManifestEntry]
    public internal(set) var validation: [ManifestEntry]
    var trainingFeatures: FeatureCache
    var validationFeatures: FeatureCache
    /// Per training utterance, its length in frames at speed 1 (the batch plan buckets by it; set by `prepare`).
    var trainingLengths: [Double] = []
    /// The processes training together (`SingleProcess` by default).
    public let group: any ProcessGroup
    /// The features are computed (`prepare`).
    var prepared = false
    let optimizer = Adam()
    let workspace: AcousticModel.Workspace
    let ctc = CTCLoss()
    let augment: SpecAugment
    /// Raw log-mel frames → the model's input (normalised with the model's statistics, stacked).
    var stage: ModelInputStage
    /// Model steps (not padding) in the last batch, over every process.
    var lastBatchSteps = 0
    /// Wall-clock seconds spent in the steps' sums over the processes (`ProcessGroup.sum` of the fused
    /// gradients): the transfer, and the wait for the slowest process. 0 for a single process.
    public internal(set) var secondsInGradientSums = 0.0
    /// How the two directions of each LSTM layer share the cores: `.concurrentDirections` (the default) on
    /// two, `.sequential` on one (e.g. one rank per core).
    public var directionSchedule: BidirectionalLSTM.Schedule {
        get { workspace.schedule }
        set { workspace.schedule = newValue }
    }
    /// The gradients and counts of a step, fused for one sum over the processes (reused every step).
    var fused: [Float] = []
    /// Some process was asked to stop (its `stopFlag`) by the last step or epoch's end: all stop there.
    public internal(set) var stopAgreed = false

    /// - Parameters:
    ///   - checkpoint: resume from this checkpoint (its model must be `model`).
    ///   - computeNormalizer: set the model's feature normaliser from the training set first (a fresh
    ///     model); false keeps it (fine-tuning, resuming).
    ///   - group: the processes training together; each must be given the same model, data and options.
    /// - Throws: `TrainingError` (no data, options that do not fit the model), `TrainingOptionsError` /
    ///   `TrainingStateError` for options or a resumed state out of range.
    public init(
        model: AcousticModel, training: [ManifestEntry], validation: [ManifestEntry], options: TrainingOptions,
        checkpointDirectory: String, modelPath: String?, resumingFrom checkpoint: Checkpoint? = nil,
        computeNormalizer: Bool, group: any ProcessGroup = SingleProcess()
    ) throws {
        guard !training.isEmpty else { throw TrainingError.noData("no training utterances") }
        guard !validation.isEmpty else { throw TrainingError.noData("no validation utterances") }
        try options.validate()
        try checkpoint?.state.validate()
        guard options.frozenLayers <= model.config.layerCount else {
            throw TrainingError.invalidOptions(
                "cannot freeze \(options.frozenLayers) of the model's \(model.config.layerCount) layers")
        }
        if let perturbation = options.vocalTractPerturbation {
            try VocalTractWarp.validate(perturbation, fbank: model.config.features)
        }
        self.model = model
        self.options = options
        self.training = training
        self.validation = validation
        self.checkpointDirectory = checkpointDirectory
        self.modelPath = modelPath
        self.group = group
        stage = try model.inputStage()
        trainingFeatures = FeatureCache(
            audioPaths: training.map(\.audioPath), speedFactors: options.speedFactors,
            stage: stage)
        validationFeatures = FeatureCache(audioPaths: validation.map(\.audioPath), speedFactors: [1], stage: stage)
        workspace = AcousticModel.Workspace(model: model)
        augment = SpecAugment(options: options)
        model.freezeLayers(options.frozenLayers)
        if let checkpoint {
            try optimizer.importState(checkpoint.optimizerState, step: checkpoint.optimizerStep, for: model.parameters)
            state = checkpoint.state
        } else {
            state = TrainingState()
        }
        self.computeNormalizer = computeNormalizer && checkpoint == nil
    }

    let computeNormalizer: Bool

    /// Linear warm-up to the peak, then a cosine down to 5 % of it at the last planned step (the training
    /// set `prepare` leaves sets the steps of an epoch).
    var schedule: LearningRateSchedule {
        let batchesPerEpoch = (training.count + options.batchSize - 1) / options.batchSize
        return LearningRateSchedule(
            peak: options.learningRate, warmupSteps: options.warmupSteps,
            decay: .cosine(
                totalSteps: max(options.epochs * batchesPerEpoch, options.warmupSteps + 1),
                floor: options.learningRate * 0.05))
    }

    public var lastCheckpointPath: String { checkpointDirectory + "/last.safetensors" }
    public var bestCheckpointPath: String { checkpointDirectory + "/best.safetensors" }

    /// Trains until the epochs are done, validation stops improving, or `stopFlag` is raised on any process
    /// of the group (then the last checkpoint is written first). Returns the final state.
    ///
    /// Computes the features first unless `prepare` did; a clip whose audio cannot be used is then an error
    /// (`ManifestError.invalidEntries` listing every one): call `prepare` to leave them out instead.
    @discardableResult
    public func run(report: (TrainingEvent) -> Void = { _ in }) throws -> TrainingState {
        if writesFiles {
            try Folder.create(path: checkpointDirectory)  // FileSystemError: the folder and the system's reason
            removeStaleFiles(report: report)
        }
        if state.finished { return state }
        if !prepared {
            let problems = try prepare(report: report)
            if !problems.isEmpty { throw ManifestError.invalidEntries(problems) }
        }
        while state.epoch < options.epochs {
            let epochStart = Date()
            let plan = BatchPlan(
                lengths: trainingLengths, batchSize: options.batchSize, seed: options.seed, epoch: state.epoch)
            var lossSum = 0.0, lossCount = 0
            for batchIndex in state.batchInEpoch..<plan.batches.count {
                let batchStart = Date()
                if let loss = try trainStep(plan.batches[batchIndex]) {
                    lossSum += loss
                    lossCount += 1
                    let stepsPerSecond = Double(lastBatchSteps) / max(Date().timeIntervalSince(batchStart), 1e-9)
                    report(
                        .batch(
                            epoch: state.epoch, batch: batchIndex, batchCount: plan.batches.count, loss: loss,
                            learningRate: schedule.rate(atStep: state.step), stepsPerSecond: stepsPerSecond))
                } else {
                    report(.skippedBatch(epoch: state.epoch, batch: batchIndex))
                }
                state.batchInEpoch = batchIndex + 1
                // Processes agree in the step's sum; a single process stops as soon as its flag is raised.
                if group.size == 1 && stopFlag.isRequested { stopAgreed = true }
                if stopAgreed {
                    try saveCheckpoint(to: lastCheckpointPath)
                    report(.interrupted(checkpoint: lastCheckpointPath))
                    return state
                }
            }
            let (cer, wer) = try agreedEvaluation()
            let summary = EpochSummary(
                epoch: state.epoch, trainingLoss: lossCount > 0 ? lossSum / Double(lossCount) : .nan,
                validationCER: cer, validationWER: wer,
                seconds: Date().timeIntervalSince(epochStart), learningRate: schedule.rate(atStep: max(state.step, 1)),
                skippedBatches: skippedBatchesThisEpoch)
            state.history.append(summary)
            let improved = cer < state.bestCER
            if improved {
                state.bestCER = cer
                state.epochsWithoutImprovement = 0
            } else {
                state.epochsWithoutImprovement += 1
            }
            state.epoch += 1
            state.batchInEpoch = 0
            let stopEarly = options.patience > 0 && state.epochsWithoutImprovement >= options.patience
            if stopEarly || state.epoch == options.epochs { state.finished = true }
            report(.epoch(summary, improved: improved))
            if improved {
                try saveCheckpoint(to: bestCheckpointPath)
                if let modelPath {
                    if writesFiles { try model.write(to: modelPath) }
                    report(.model(path: modelPath))
                }
            }
            try saveCheckpoint(to: lastCheckpointPath)
            report(.checkpoint(path: lastCheckpointPath))
            if stopEarly {
                report(.earlyStop(epoch: state.epoch - 1))
                break
            }
            if try agreeOnStop() {
                report(.interrupted(checkpoint: lastCheckpointPath))
                return state
            }
        }
        return state
    }

    /// Batches skipped (non-finite) in the epoch under way: the run's total less the earlier epochs' counts,
    /// so it holds across a resume; nil when an earlier epoch has no count (a checkpoint from before they
    /// were kept).
    private var skippedBatchesThisEpoch: Int? {
        let earlier = state.history.map(\.skippedBatches)
        guard !earlier.contains(nil) else { return nil }
        return state.skippedNonFiniteBatches - earlier.reduce(0) { $0 + $1! }
    }

    /// Whether this process writes checkpoints and the model: rank 0 of the group.
    var writesFiles: Bool { group.rank == 0 }

    /// The validation CER and WER, computed by rank 0 and summed with the others' zeros so that every
    /// process has them (and takes the same early-stopping decision).
    private func agreedEvaluation() throws -> (cer: Double, wer: Double) {
        var rates = [0.0, 0.0]
        if group.rank == 0 { (rates[0], rates[1]) = try evaluate() }
        try group.sum(&rates, "validation result")
        return (rates[0], rates[1])
    }

    /// True on every process when any process's `stopFlag` is raised.
    private func agreeOnStop() throws -> Bool {
        var requests = [stopFlag.isRequested ? 1.0 : 0]
        try group.sum(&requests, "stop requests")
        stopAgreed = requests[0] > 0
        return stopAgreed
    }

    /// Removes what writes of the checkpoints and the model killed mid-write left behind (their processes
    /// gone; `AtomicFile.removeStaleFiles`), reporting each.
    private func removeStaleFiles(report: (TrainingEvent) -> Void) {
        for target in [lastCheckpointPath, bestCheckpointPath] + (modelPath.map { [$0] } ?? []) {
            for file in AtomicFile.removeStaleFiles(for: target) { report(.staleFile(file)) }
        }
    }

    /// Greedy-decoded CER and WER on the validation set.
    public func evaluate() throws -> (cer: Double, wer: Double) {
        var accumulator = ErrorRateAccumulator()
        let decoder = GreedyDecoder(alphabet: model.config.alphabet)
        let v = model.config.outputSize
        for start in stride(from: 0, to: validation.count, by: options.batchSize) {
            var items: [(input: FeatureMatrix, labels: [Int], utterance: Int)] = []
            for u in start..<min(start + options.batchSize, validation.count) {
                let features = try validationFeatures.filterbank(utterance: u, speed: 0)
                items.append((stage.modelInput(filterbank: features), validation[u].labels, u))
            }
            let batch = TrainingBatch(items)
            let shape = batch.shape
            let logits = batch.inputs.withUnsafeBufferPointer { x in
                model.forward(x.baseAddress!, shape: shape, training: false, workspace: workspace)
            }
            for (column, u) in batch.utterances.enumerated() {
                let t = shape.lengths[column]
                var rows = [Float](repeating: 0, count: t * v)
                for step in 0..<t {
                    for k in 0..<v { rows[step * v + k] = logits[(step * shape.batchSize + column) * v + k] }
                }
                // Argmax of the scores is argmax of the log-probabilities: no softmax needed here.
                let hypothesis = decoder.decode(rows, frameCount: t, vocabularySize: v).text
                _ = accumulator.add(reference: validation[u].normalizedTranscript, hypothesis: hypothesis)
            }
        }
        return (accumulator.cer, accumulator.wer)
    }

    /// Writes a checkpoint (rank 0 only; the others hold the same weights).
    private func saveCheckpoint(to path: String) throws {
        guard writesFiles else { return }
        try Checkpoint(model: model, optimizer: optimizer, state: state, options: options).write(to: path)
    }
}
