import ArgumentParser
import Earshot
import EarshotDecoding
import EarshotMPI
import EarshotNN
import EarshotTraining
import Foundation

extension FeatureNormalization: ExpressibleByArgument {}
extension RecurrentCell: ExpressibleByArgument {}

/// `earshot train`: trains (or fine-tunes) an acoustic model on labelled clips.
struct TrainCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train or fine-tune an acoustic model on labelled audio clips with CTC.",
        discussion: """
            MANIFEST lists the clips: NeMo JSON lines ({"audio_filepath", "duration", "text"}), a DeepSpeech \
            CSV (wav_filename,wav_filesize,transcript) or lines of 'path<TAB>transcript'; paths are relative \
            to the manifest. Transcripts are normalised to the model's alphabet (numbers spelled out, …). \
            Every line is checked before training starts: its form, the transcript, the audio file's header, \
            and, as each file is decoded once for its features, its samples (NaN or infinite values, a file \
            cut off early); all problems are listed at once, or skipped and listed with --skip-invalid. A \
            manifest line may be at most 1 MiB long. Temporary files of checkpoint writes a killed run left \
            behind are removed (and named) when training starts.

            The best model so far (by validation CER) is written to --output after every epoch that improves \
            it; --checkpoint-dir keeps last.safetensors and best.safetensors with the optimizer state. Ctrl-C or \
            SIGTERM writes a checkpoint after the batch under way and exits (130 / 143); run the same command \
            with --resume to continue exactly where it stopped. While the features are still being computed, \
            it stops without a checkpoint (none is needed: nothing has been trained); a second signal stops \
            at once, leaving the last checkpoint written (never a partial file). Exit status 1: invalid manifest lines or files.

            Started by 'mpirun -np N' (or srun), the N processes train one model data-parallel: each keeps the \
            features of every N-th clip and computes the gradients of its share of every batch of --batch-size \
            (the global batch, dealt out by length); the gradients are summed over the processes (one MPI_Allreduce per step) and all \
            take the same step, so N processes end with the weights one process ends with (up to float \
            rounding). Rank 0 validates, prints and writes the model and checkpoints. The manifests, the audio \
            and --checkpoint-dir must be at the same paths on every host. Ctrl-C or SIGTERM to any rank stops \
            all of them after the batch with one checkpoint; a rank that dies ends the job (mpirun), and a rank \
            waiting longer than --mpi-timeout for the others exits with an error.
            """)

    @Argument(help: "Manifest of the training clips.")
    var manifest: String

    @Option(
        name: .customLong("valid"),
        help: "Manifest of the validation clips. Default: hold out --valid-fraction of MANIFEST.")
    var validationManifest: String?

    @Option(
        name: .customLong("valid-fraction"),
        help: "Share of MANIFEST held out for validation when --valid is not given.")
    var validationFraction: Double = 0.05

    @Option(name: .shortAndLong, help: "Where the trained model is written.")
    var output: String = "model.safetensors"

    @Option(
        name: .customLong("checkpoint-dir"),
        help: "Folder for checkpoints. Default: <output without extension>.checkpoints.")
    var checkpointDirectory: String?

    @Flag(help: "Continue from <checkpoint-dir>/last.safetensors with the options stored in it.")
    var resume = false

    @Option(name: .customLong("init"), help: "Start from this model's weights (fine-tuning) instead of a fresh one.")
    var initialModel: String?

    @Option(name: .customLong("freeze-layers"), help: "Keep the lowest N recurrent layers fixed (with --init).")
    var frozenLayers: Int = TrainingOptions().frozenLayers

    @Option(
        name: .customLong("normalization"),
        help:
            "Feature mean the model normalises with: 'global' (the training set's) or 'utterance-mean' (each utterance's own; a running estimate when streaming). Stored in the model; eval, transcribe and stream follow it. (default: global for a new model; with --init, the initial model's own)"
    )
    var normalization: FeatureNormalization?

    @Flag(
        name: .customLong("skip-invalid"),
        help: "Train on the valid lines when some lines are invalid (listed as warnings).")
    var skipInvalid = false

    @OptionGroup(title: "Optimisation")
    var optimisation: TrainingOptionGroup

    @OptionGroup(title: "Architecture (for a new model; --init and --resume use the model's own)")
    var architecture: ArchitectureOptionGroup

    @Flag(help: "Print one JSON line per epoch on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Option(
        help:
            "Cores for the two directions of each recurrent layer: 2 runs them at once, 1 one after the other (e.g. one rank per core under mpirun)."
    )
    var threads: Int = 2

    @Option(
        name: .customLong("mpi-timeout"),
        help:
            "Under mpirun: seconds a rank waits for the others in one exchange once training has started (a step's gradient sum; rank 0's validation at the end of an epoch) before it exits with an error."
    )
    var mpiTimeout: Double = 900

    func validate() throws {
        guard validationFraction > 0 && validationFraction < 1 else {
            throw ValidationError("--valid-fraction must be in (0, 1)")
        }
        if resume && initialModel != nil {
            throw ValidationError("--resume continues a run; --init starts a new one: give one")
        }
        if resume && normalization != nil {
            throw ValidationError("--resume continues with the checkpoint's model: --normalization cannot change it")
        }
        guard mpiTimeout > 0 else { throw ValidationError("--mpi-timeout must be positive") }
        guard threads == 1 || threads == 2 else { throw ValidationError("--threads must be 1 or 2") }
        if frozenLayers > 0 && initialModel == nil && !resume {
            throw ValidationError("--freeze-layers needs --init: freezing layers of a fresh model trains nothing there")
        }
        try TrainingOptionGroup.flags.usageErrors { try options.validate() }
    }

    /// The training options of a new run: the optimisation flags and `--freeze-layers`.
    private var options: TrainingOptions {
        var options = optimisation.options
        options.frozenLayers = frozenLayers
        return options
    }

    private var checkpoints: String {
        checkpointDirectory ?? URL(fileURLWithPath: output).deletingPathExtension().path + ".checkpoints"
    }

    /// Joins the MPI job when `mpirun` started this process (ranks other than 0 print nothing but errors),
    /// then trains (`train`) and leaves the job.
    func run() throws {
        let world: MPIWorld?
        do {
            world = try MPIWorld.joinIfLaunched()
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
        var command = self
        if let world, world.rank != 0 {
            command.quiet = true
            command.json = false
        }
        try command.train(group: world ?? SingleProcess(), rank: world.map { "rank \($0.rank): " } ?? "")
        world?.finalize()
    }

    /// 1. Reads and checks the manifests and builds the trainer (`makeTrainer`).
    /// 2. Computes every clip's features, which checks its samples (`Trainer.prepare`).
    /// 3. Reports the problems of both: all of them as an error, or, with `--skip-invalid`, as skipped.
    /// 4. Trains.
    /// On an error a rank exits at once (without leaving the MPI job, which makes mpirun end the others).
    private func train(group: any ProcessGroup, rank: String) throws {
        let stop = SignalStop.shared
        let trainer: Trainer
        let reporter: TrainingReporter
        do {
            let (made, lineProblems) = try makeTrainer(group: group)
            trainer = made
            trainer.directionSchedule = threads == 1 ? .sequential : .concurrentDirections
            if threads == 1 { BLASRuntime.threads = 1 }
            let flag = made.stopFlag
            let speaks = group.rank == 0  // rank 0 alone prints
            stop.onSignal = {
                if speaks {
                    Terminal.error(
                        "\nearshot: stopping after this batch and writing a checkpoint (again to quit at once)")
                }
                flag.request()
            }
            reporter = TrainingReporter(
                epochs: trainer.options.epochs, json: json, quiet: quiet,
                secondsPerStep: trainer.model.config.secondsPerStep)
            let audioProblems = try trainer.prepare { reporter.handle($0) }
            // The ranks' features take as long as they take (rank 0 also computes the validation clips');
            // from the first step on, a rank waiting longer than --mpi-timeout means a peer is gone.
            (group as? MPIWorld)?.collectiveTimeout = mpiTimeout
            reporter.finish()
            if group.size == 1 && trainer.stopFlag.isRequested {  // stopped while preparing (`Trainer.prepare`)
                Terminal.error(
                    "earshot: stopped before training began; no checkpoint written (any earlier one is unchanged)")
                throw ExitCode(stop.exitCode)
            }
            try report(lineProblems + audioProblems)
            if !quiet && !resume {
                Terminal.error(
                    "earshot: \(trainer.training.count) training and \(trainer.validation.count) validation clips; model of \(trainer.model.parameterCount) parameters\(initialModel.map { " from \($0)" } ?? ""); \(BLASRuntime.summary)"
                )
            }
        } catch let error as ManifestError {
            // Every rank finds the same problems: rank 0 lists them.
            if group.rank == 0 { Terminal.error("earshot: invalid training data:\n\(error)") }
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.error("earshot: \(rank)\(error)")
            throw ExitCode(1)
        }
        do {
            let state = try trainer.run { reporter.handle($0) }
            reporter.finish()
            if trainer.stopAgreed && !state.finished {
                if group.rank == 0 {
                    Terminal.error(
                        "earshot: stopped; checkpoint \(trainer.lastCheckpointPath). Continue with the same command and --resume."
                    )
                }
                (group as? MPIWorld)?.finalize()
                throw ExitCode(trainer.stopFlag.isRequested ? stop.exitCode : 0)
            }
            if !quiet {
                Terminal.error(
                    "earshot: done: best validation CER \(String(format: "%.2f", state.bestCER * 100))%, model \(output), "
                        + "\(state.step) steps, \(state.skippedNonFiniteBatches) batches skipped (non-finite), "
                        + "\(state.skippedImpossibleUtterances) utterances skipped (transcript longer than the audio allows)"
                        + (group.size > 1
                            ? String(
                                format: "; %d ranks, %.1f s in gradient sums (MPI_Allreduce, waits included)",
                                group.size, trainer.secondsInGradientSums) : "")
                )
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            reporter.finish()
            Terminal.error("earshot: \(rank)\(error)")
            throw ExitCode(1)
        }
    }

    /// Every problem of the data, in manifest and line order: an error listing them all, or with
    /// `--skip-invalid` a list of what is skipped, per manifest.
    private func report(_ problems: [ManifestProblem]) throws(ManifestError) {
        guard !problems.isEmpty else { return }
        let sorted = problems.enumerated().sorted {
            ($0.element.manifest, $0.element.line, $0.offset) < ($1.element.manifest, $1.element.line, $1.offset)
        }.map(\.element)
        guard skipInvalid else { throw .invalidEntries(sorted) }
        guard !quiet else { return }
        for manifest in [manifest, validationManifest].compactMap({ $0 }) {
            let skipped = sorted.filter { $0.manifest == manifest }
            let lines = Set(skipped.map(\.line)).count
            guard lines > 0 else { continue }
            Terminal.error(
                "earshot: skipping \(lines) invalid line\(lines == 1 ? "" : "s") of \(manifest):\n"
                    + skipped.map { "  \($0)" }.joined(separator: "\n"))
        }
    }

    /// The trainer of this run, and the problems of the manifest lines it leaves out.
    private func makeTrainer(group: any ProcessGroup) throws -> (Trainer, [ManifestProblem]) {
        let checkpointPath = checkpoints + "/last.safetensors"
        if resume {
            guard FileManager.default.fileExists(atPath: checkpointPath) else {
                throw ValidationError("--resume: no checkpoint at \(checkpointPath)")
            }
            let checkpoint = try Checkpoint.read(path: checkpointPath)
            try usage { try architecture.checkCell(of: checkpoint.model.config, from: "--resume") }
            let (training, validation, problems) = try data(
                alphabet: checkpoint.model.config.alphabet, seed: checkpoint.options.seed)
            let trainer = try Trainer(
                model: checkpoint.model, training: training, validation: validation,
                options: checkpoint.options, checkpointDirectory: checkpoints, modelPath: output,
                resumingFrom: checkpoint, computeNormalizer: false, group: group)
            return (trainer, problems)
        }
        let model: AcousticModel
        if let initialModel {
            model = try withNormalization(AcousticModel.load(path: initialModel))
            try usage { try architecture.checkCell(of: model.config, from: "--init \(initialModel)") }
        } else {
            var config = architecture.config
            config.normalization = normalization ?? config.normalization
            model = try AcousticModel(config: config, seed: options.seed)
        }
        let (training, validation, problems) = try data(alphabet: model.config.alphabet, seed: options.seed)
        let trainer = try Trainer(
            model: model, training: training, validation: validation, options: options,
            checkpointDirectory: checkpoints, modelPath: output, computeNormalizer: initialModel == nil, group: group)
        return (trainer, problems)
    }

    /// Runs `body`; a `ValidationError` it throws (an option that contradicts a file only now read) is
    /// printed and exits with status 64, as the argument parser's own usage errors do.
    private func usage(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ValidationError {
            Terminal.error("earshot: \(error.message)")
            throw ExitCode.validationFailure
        }
    }

    /// `model` with `--normalization` when given (its weights and global statistics kept), else `model`.
    private func withNormalization(_ model: AcousticModel) throws -> AcousticModel {
        guard let normalization, normalization != model.config.normalization else { return model }
        var config = model.config
        config.normalization = normalization
        return try AcousticModel(
            config: config, normalizer: model.normalizer,
            parameters: Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0) }))
    }

    /// The valid training and validation entries, every manifest line checked first, and the problems of
    /// the others.
    private func data(alphabet: Alphabet, seed: UInt64) throws -> (
        training: [ManifestEntry], validation: [ManifestEntry], problems: [ManifestProblem]
    ) {
        var (training, problems) = try valid(manifest, alphabet: alphabet)
        if let validationManifest {
            let (validation, validationProblems) = try valid(validationManifest, alphabet: alphabet)
            return (training, validation, problems + validationProblems)
        }
        // Too few clips to spare any: validate on the training clips themselves (and say so).
        guard training.count >= 20 else {
            if !quiet {
                Terminal.error(
                    "earshot: only \(training.count) clips: validating on the training clips (give --valid for a real estimate)"
                )
            }
            return (training, training, problems)
        }
        var generator = SeededGenerator(seed: seed).split(0xDA7A)
        training.shuffle(using: &generator)
        let held = max(1, Int((Double(training.count) * validationFraction).rounded()))
        return (Array(training.dropFirst(held)), Array(training.prefix(held)), problems)
    }

    /// The valid entries of the manifest at `path` and the problems of the others (reported with those
    /// the features find, `report`); none valid is an error listing the problems.
    private func valid(_ path: String, alphabet: Alphabet) throws -> ([ManifestEntry], [ManifestProblem]) {
        let manifest = try Manifest.read(path: path)
        let (entries, problems) = ManifestValidation.validate(manifest, alphabet: alphabet, checkAudio: true)
        if entries.isEmpty { throw ManifestError.invalidEntries(problems) }
        return (entries, problems)
    }
}
