import ArgumentParser
import Earshot
import EarshotDecoding
import EarshotNN
import EarshotTraining
import Foundation

extension FeatureNormalization: ExpressibleByArgument {}

/// `earshot train`: trains (or fine-tunes) an acoustic model on labelled clips.
struct TrainCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train or fine-tune an acoustic model on labelled audio clips with CTC.",
        discussion: """
            MANIFEST lists the clips: NeMo JSON lines ({"audio_filepath", "duration", "text"}), a DeepSpeech \
            CSV (wav_filename,wav_filesize,transcript) or lines of 'path<TAB>transcript'; paths are relative \
            to the manifest. Transcripts are normalised to the model's alphabet (numbers spelled out, …). \
            Every line is checked before training starts; all problems are listed at once.

            The best model so far (by validation CER) is written to --output after every epoch that improves \
            it; --checkpoint-dir keeps last.safetensors and best.safetensors with the optimizer state. Ctrl-C or \
            SIGTERM writes a checkpoint after the batch under way and exits (130 / 143); run the same command \
            with --resume to continue exactly where it stopped. Exit status 1: invalid manifest lines or files.
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

    @Option(name: .customLong("freeze-layers"), help: "Keep the lowest N LSTM layers fixed (with --init).")
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

    func run() throws {
        let stop = SignalStop()
        let trainer: Trainer
        do {
            trainer = try makeTrainer()
        } catch let error as ManifestError {
            Terminal.error("earshot: invalid training data:\n\(error)")
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
        stop.onSignal = { trainer.stopFlag.request() }
        let reporter = TrainingReporter(
            epochs: trainer.options.epochs, json: json, quiet: quiet,
            secondsPerStep: trainer.model.config.secondsPerStep)
        do {
            let state = try trainer.run { reporter.handle($0) }
            reporter.finish()
            if trainer.stopFlag.isRequested {
                Terminal.error(
                    "earshot: stopped; checkpoint \(trainer.lastCheckpointPath). Continue with the same command and --resume."
                )
                throw ExitCode(stop.exitCode)
            }
            if !quiet {
                Terminal.error(
                    "earshot: done: best validation CER \(String(format: "%.2f", state.bestCER * 100))%, model \(output), "
                        + "\(state.step) steps, \(state.skippedNonFiniteBatches) batches skipped (non-finite), "
                        + "\(state.skippedImpossibleUtterances) utterances skipped (transcript longer than the audio allows)"
                )
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            reporter.finish()
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
    }

    private func makeTrainer() throws -> Trainer {
        let checkpointPath = checkpoints + "/last.safetensors"
        if resume {
            guard FileManager.default.fileExists(atPath: checkpointPath) else {
                throw ValidationError("--resume: no checkpoint at \(checkpointPath)")
            }
            let checkpoint = try Checkpoint.read(path: checkpointPath)
            let (training, validation) = try data(
                alphabet: checkpoint.model.config.alphabet, seed: checkpoint.options.seed)
            return try Trainer(
                model: checkpoint.model, training: training, validation: validation,
                options: checkpoint.options, checkpointDirectory: checkpoints, modelPath: output,
                resumingFrom: checkpoint, computeNormalizer: false)
        }
        let model: AcousticModel
        if let initialModel {
            model = try withNormalization(AcousticModel.load(path: initialModel))
        } else {
            var config = architecture.config
            config.normalization = normalization ?? config.normalization
            model = try AcousticModel(config: config, seed: options.seed)
        }
        let (training, validation) = try data(alphabet: model.config.alphabet, seed: options.seed)
        if !quiet {
            Terminal.error(
                "earshot: \(training.count) training and \(validation.count) validation clips; model of \(model.parameterCount) parameters\(initialModel.map { " from \($0)" } ?? ""); \(BLASRuntime.summary)"
            )
        }
        return try Trainer(
            model: model, training: training, validation: validation, options: options,
            checkpointDirectory: checkpoints, modelPath: output, computeNormalizer: initialModel == nil)
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

    /// The training and validation entries, every manifest line checked first.
    private func data(alphabet: Alphabet, seed: UInt64) throws -> (
        training: [ManifestEntry], validation: [ManifestEntry]
    ) {
        var training = try usable(manifest, alphabet: alphabet)
        if let validationManifest {
            return (training, try usable(validationManifest, alphabet: alphabet))
        }
        // Too few clips to spare any: validate on the training clips themselves (and say so).
        guard training.count >= 20 else {
            if !quiet {
                Terminal.error(
                    "earshot: only \(training.count) clips: validating on the training clips (give --valid for a real estimate)"
                )
            }
            return (training, training)
        }
        var generator = SeededGenerator(seed: seed).split(0xDA7A)
        training.shuffle(using: &generator)
        let held = max(1, Int((Double(training.count) * validationFraction).rounded()))
        return (Array(training.dropFirst(held)), Array(training.prefix(held)))
    }

    private func usable(_ path: String, alphabet: Alphabet) throws -> [ManifestEntry] {
        let manifest = try Manifest.read(path: path)
        let (entries, skipped) = try ManifestValidation.usableEntries(
            manifest, alphabet: alphabet, checkAudio: true, skipInvalid: skipInvalid)
        if !skipped.isEmpty && !quiet {
            Terminal.error(
                "earshot: skipping \(skipped.count) invalid line\(skipped.count == 1 ? "" : "s") of \(path):\n"
                    + skipped.map { "  \($0)" }.joined(separator: "\n"))
        }
        return entries
    }
}
