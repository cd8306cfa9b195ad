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
/// from (seed, step), and the batch plan of an epoch from (seed, epoch), so a run resumed from a checkpoint
/// takes exactly the steps an uninterrupted run takes.
public final class Trainer {
    /// The model being trained: its parameters change with every step; the model itself is replaced once,
    /// when the feature normaliser is computed from the training set.
    public private(set) var model: AcousticModel
    public let options: TrainingOptions
    public private(set) var state: TrainingState
    public let stopFlag = StopFlag()
    /// Folder of `last.safetensors` and `best.safetensors`.
    public let checkpointDirectory: String
    /// Where the best model so far is written as a model file (nil: only checkpoints).
    public let modelPath: String?

    /// The utterances trained and validated on; `prepare` leaves out those whose audio cannot be used.
    public private(set) var training: [ManifestEntry]
    public private(set) var validation: [ManifestEntry]
    private var trainingFeatures: FeatureCache
    private var validationFeatures: FeatureCache
    /// The features are computed (`prepare`).
    private var prepared = false
    private let optimizer = Adam()
    private let workspace: AcousticModel.Workspace
    private let ctc = CTCLoss()
    private let augment: SpecAugment
    /// Raw log-mel frames → the model's input (normalised with the model's statistics, stacked).
    private var stage: ModelInputStage

    /// - Parameters:
    ///   - checkpoint: resume from this checkpoint (its model must be `model`).
    ///   - computeNormalizer: set the model's feature normaliser from the training set first (a fresh
    ///     model); false keeps it (fine-tuning, resuming).
    /// - Throws: `TrainingError` (no data, options that do not fit the model), `TrainingOptionsError` /
    ///   `TrainingStateError` for options or a resumed state out of range.
    public init(
        model: AcousticModel, training: [ManifestEntry], validation: [ManifestEntry], options: TrainingOptions,
        checkpointDirectory: String, modelPath: String?, resumingFrom checkpoint: Checkpoint? = nil,
        computeNormalizer: Bool
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

    private let computeNormalizer: Bool

    /// Linear warm-up to the peak, then a cosine down to 5 % of it at the last planned step (the training
    /// set `prepare` leaves sets the steps of an epoch).
    private var schedule: LearningRateSchedule {
        let batchesPerEpoch = (training.count + options.batchSize - 1) / options.batchSize
        return LearningRateSchedule(
            peak: options.learningRate, warmupSteps: options.warmupSteps,
            decay: .cosine(
                totalSteps: max(options.epochs * batchesPerEpoch, options.warmupSteps + 1),
                floor: options.learningRate * 0.05))
    }

    public var lastCheckpointPath: String { checkpointDirectory + "/last.safetensors" }
    public var bestCheckpointPath: String { checkpointDirectory + "/best.safetensors" }

    /// Trains until the epochs are done, validation stops improving, or `stopFlag` is raised (then the
    /// last checkpoint is written first). Returns the final state.
    ///
    /// Computes the features first unless `prepare` did; a clip whose audio cannot be used is then an error
    /// (`ManifestError.invalidEntries` listing every one): call `prepare` to leave them out instead.
    @discardableResult
    public func run(report: (TrainingEvent) -> Void = { _ in }) throws -> TrainingState {
        try Folder.create(path: checkpointDirectory)  // FileSystemError: the folder and the system's reason
        removeStaleFiles(report: report)
        if state.finished { return state }
        if !prepared {
            let problems = try prepare(report: report)
            if !problems.isEmpty { throw ManifestError.invalidEntries(problems) }
        }
        // Bucketing by each utterance's length at its own speed (the cache is full: nothing is computed here).
        let lengths = try training.indices.map {
            Double(try trainingFeatures.filterbank(utterance: $0, speed: unitSpeed).frameCount)
        }
        while state.epoch < options.epochs {
            let epochStart = Date()
            let plan = BatchPlan(lengths: lengths, batchSize: options.batchSize, seed: options.seed, epoch: state.epoch)
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
                if stopFlag.isRequested {
                    try saveCheckpoint(to: lastCheckpointPath)
                    report(.interrupted(checkpoint: lastCheckpointPath))
                    return state
                }
            }
            let (cer, wer) = try evaluate()
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
                    try model.write(to: modelPath)
                    report(.model(path: modelPath))
                }
            }
            try saveCheckpoint(to: lastCheckpointPath)
            report(.checkpoint(path: lastCheckpointPath))
            if stopEarly {
                report(.earlyStop(epoch: state.epoch - 1))
                break
            }
            if stopFlag.isRequested {
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

    /// Removes what writes of the checkpoints and the model killed mid-write left behind (their processes
    /// gone; `AtomicFile.removeStaleFiles`), reporting each.
    private func removeStaleFiles(report: (TrainingEvent) -> Void) {
        for target in [lastCheckpointPath, bestCheckpointPath] + (modelPath.map { [$0] } ?? []) {
            for file in AtomicFile.removeStaleFiles(for: target) { report(.staleFile(file)) }
        }
    }

    /// Computes the features of every clip before training, and returns the clips whose audio cannot be
    /// used, which training then leaves out:
    /// 1. fills the feature caches (all cores; each file decoded once, with every check of `AudioFileReader`);
    /// 2. turns each failure into a `ManifestProblem` naming the manifest, the line, the file and the cause
    ///    (NaN or infinite samples, a file cut off early…), every one of them, in manifest and line order;
    /// 3. leaves those utterances out of training and validation;
    /// 4. sets the normaliser from the training features at their own speed when asked.
    /// A finished run (resumed after its last epoch) computes nothing, nor does a second call. When
    /// `stopFlag` is raised meanwhile, it returns at once with no problems, leaving the run unprepared.
    /// - Throws: `ManifestError.invalidEntries` with the problems when no training or validation clip is left.
    public func prepare(report: (TrainingEvent) -> Void = { _ in }) throws -> [ManifestProblem] {
        if state.finished || prepared { return [] }  // nothing left to do, or done already
        let trained = training.count * trainingFeatures.speedFactors.count
        let total = trained + validation.count
        let failedTraining = trainingFeatures.fill(stop: stopFlag) { done, _ in
            report(.preparing(done: done, total: total))
        }
        let failedValidation = validationFeatures.fill(stop: stopFlag) { done, _ in
            report(.preparing(done: trained + done, total: total))
        }
        if stopFlag.isRequested { return [] }  // stopped: not prepared, nothing checked or trained
        let problems = Self.problems(failedTraining, of: training, failedValidation, of: validation)
        (training, trainingFeatures) = Self.keeping(training, trainingFeatures, without: failedTraining)
        (validation, validationFeatures) = Self.keeping(validation, validationFeatures, without: failedValidation)
        if training.isEmpty || validation.isEmpty { throw ManifestError.invalidEntries(problems) }
        prepared = true
        if computeNormalizer {
            var statistics = FeatureStatistics(dimension: model.config.features.dimension)
            for u in training.indices {
                statistics.add(try trainingFeatures.filterbank(utterance: u, speed: unitSpeed))
            }
            model = model.replacingNormalizer(statistics.normalizer())
            stage = try model.inputStage()
        }
        return problems
    }

    /// The problems of the utterances that failed, one per file and line (a clip both trained and
    /// validated on is named once), in manifest and line order.
    private static func problems(
        _ failedTraining: [FeatureCache.Failure], of training: [ManifestEntry],
        _ failedValidation: [FeatureCache.Failure], of validation: [ManifestEntry]
    ) -> [ManifestProblem] {
        var seen: Set<String> = []
        var problems: [ManifestProblem] = []
        for (failure, entry) in failedTraining.map({ ($0, training[$0.utterance]) })
            + failedValidation.map({ ($0, validation[$0.utterance]) })
        where seen.insert("\(entry.manifest)\n\(entry.line)").inserted {
            let kind: ManifestProblem.Kind
            switch failure.error {
            case let error as AudioError: kind = .audio(error)
            case let error as FeatureError: kind = .features(error)
            default: kind = .malformed("\(failure.error)")
            }
            problems.append(
                ManifestProblem(manifest: entry.manifest, line: entry.line, audioPath: entry.writtenPath, kind: kind))
        }
        return problems.sorted { ($0.manifest, $0.line) < ($1.manifest, $1.line) }
    }

    /// `entries` and their cache without the utterances of `failures`.
    private static func keeping(
        _ entries: [ManifestEntry], _ cache: FeatureCache, without failures: [FeatureCache.Failure]
    )
        -> ([ManifestEntry], FeatureCache)
    {
        guard !failures.isEmpty else { return (entries, cache) }
        let failed = Set(failures.map(\.utterance))
        let kept = entries.indices.filter { !failed.contains($0) }
        return (kept.map { entries[$0] }, cache.keeping(kept))
    }

    private var lastBatchSteps = 0

    /// Index of speed factor 1 (the unperturbed audio) among the cached speeds; the first one if 1 is absent.
    private var unitSpeed: Int { trainingFeatures.speedFactors.firstIndex(of: 1) ?? 0 }

    /// One optimisation step on the utterances `indices`; returns the mean loss, or nil when the batch
    /// was skipped (non-finite loss or gradient, or no utterance whose transcript fits).
    private func trainStep(_ indices: [Int]) throws -> Double? {
        var generator = SeededGenerator(seed: options.seed).split(UInt64(state.step) &+ 0x7EA1_0000)
        var items: [(input: FeatureMatrix, labels: [Int], utterance: Int)] = []
        for u in indices {
            let speed = Int.random(in: 0..<trainingFeatures.speedFactors.count, using: &generator)
            var features = try trainingFeatures.filterbank(utterance: u, speed: speed)
            // VTLP on the raw log-mel values, before normalisation (the statistics are of unwarped speech).
            if let perturbation = options.vocalTractPerturbation {
                try VocalTractWarp(factor: perturbation.draw(using: &generator), fbank: model.config.features)
                    .apply(to: &features)
            }
            let input = stage.modelInput(filterbank: features) { augment.apply(to: &$0, generator: &generator) }
            items.append((input, training[u].labels, u))
        }
        let batch = TrainingBatch(items)
        lastBatchSteps = batch.validSteps
        let fits = zip(batch.targets, batch.shape.lengths).map { CTCLoss.requiredFrames(target: $0) <= $1 }
        let fitting = fits.filter { $0 }.count
        state.skippedImpossibleUtterances += fits.count - fitting
        guard fitting > 0 else { return nil }

        var latencyControl: LatencyControl?
        if let chunked = options.chunkedTraining,
            chunked.share >= 1 || Double.random(in: 0..<1, using: &generator) < chunked.share
        {
            latencyControl = chunked.control
        }
        for p in model.parameters { p.zeroGradient() }
        workspace.encoder.dropoutGenerator = generator.split(1)
        let v = model.config.outputSize, shape = batch.shape
        var gradient = [Float](repeating: 0, count: shape.rowCount * v)
        let results: [CTCLoss.SequenceResult]? = batch.inputs.withUnsafeBufferPointer { x in
            let logits = model.forward(
                x.baseAddress!, shape: shape, training: true, workspace: workspace, latencyControl: latencyControl)
            // A non-finite score (an overflowing network) makes the loss undefined: skip the batch.
            guard logits.allSatisfy(\.isFinite) else { return nil }
            return logits.withUnsafeBufferPointer { z in
                gradient.withUnsafeMutableBufferPointer { g in
                    ctc.compute(
                        logits: z.baseAddress!, timeSteps: shape.timeSteps, batchSize: shape.batchSize,
                        vocabularySize: v, inputLengths: shape.lengths, targets: batch.targets,
                        weights: fits.map { $0 ? 1 / Float(fitting) : 0 }, gradient: g.baseAddress!)
                }
            }
        }
        guard let results else {
            state.skippedNonFiniteBatches += 1
            return nil
        }
        let losses = results.compactMap(\.loss)
        let loss = losses.reduce(0.0) { $0 + Double($1) } / Double(max(losses.count, 1))
        guard loss.isFinite, gradient.allSatisfy(\.isFinite) else {
            state.skippedNonFiniteBatches += 1
            return nil
        }
        batch.inputs.withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                model.backward(input: x.baseAddress!, logitGradient: g.baseAddress!, workspace: workspace)
            }
        }
        guard gradientsAreFinite(model.parameters) else {
            state.skippedNonFiniteBatches += 1
            return nil
        }
        _ = clipGradientNorm(model.parameters, maxNorm: options.maxGradientNorm)
        state.step += 1
        optimizer.update(model.parameters, learningRate: schedule.rate(atStep: state.step))
        return loss
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

    private func saveCheckpoint(to path: String) throws {
        try Checkpoint(model: model, optimizer: optimizer, state: state, options: options).write(to: path)
    }
}
