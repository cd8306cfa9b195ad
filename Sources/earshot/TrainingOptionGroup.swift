import ArgumentParser
import Earshot
import EarshotNN
import EarshotTraining

/// `TrainingOptions` on the command line; defaults read from the library.
struct TrainingOptionGroup: ParsableArguments {
    private static let defaults = TrainingOptions()

    @Option(help: "Passes over the training clips at most.")
    var epochs: Int = defaults.epochs

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize: Int = defaults.batchSize

    @Option(
        name: .customLong("learning-rate"),
        help: "Peak learning rate of Adam (after warm-up; cosine decay to 5% of it).")
    var learningRate: Float = defaults.learningRate

    @Option(name: .customLong("warmup-steps"), help: "Steps of linear learning-rate warm-up.")
    var warmupSteps: Int = defaults.warmupSteps

    @Option(name: .customLong("max-grad-norm"), help: "Gradients are scaled down to at most this global L2 norm.")
    var maxGradientNorm: Float = defaults.maxGradientNorm

    @Option(help: "Seed of every random choice (initialisation, order, augmentation, dropout).")
    var seed: UInt64 = defaults.seed

    @Option(help: "Stop after this many epochs without a better validation CER (0: never).")
    var patience: Int = defaults.patience

    @Option(name: .customLong("time-masks"), help: "SpecAugment time masks per clip (0: none).")
    var timeMasks: Int = defaults.timeMasks

    @Option(name: .customLong("max-time-mask"), help: "Widest time mask, in 10 ms frames.")
    var maxTimeMask: Int = defaults.maxTimeMaskFrames

    @Option(name: .customLong("frequency-masks"), help: "SpecAugment frequency masks per clip (0: none).")
    var frequencyMasks: Int = defaults.frequencyMasks

    @Option(name: .customLong("max-frequency-mask"), help: "Widest frequency mask, in mel bins.")
    var maxFrequencyMask: Int = defaults.maxFrequencyMaskBins

    @Option(
        name: .customLong("speed-factors"), parsing: .upToNextOption,
        help: "Speed perturbation factors, one drawn per clip and epoch ('1' alone: none).")
    var speedFactors: [Double] = defaults.speedFactors

    @Option(
        name: .customLong("vtlp"),
        help:
            "Vocal-tract-length perturbation: a warp factor drawn per clip and step from 'smallest,largest' (one value: fixed; '0' or 'none': off)."
    )
    var vtlp: String = defaults.vocalTractPerturbation?.argument ?? "none"

    @Option(
        name: .customLong("chunk-steps"),
        help:
            "Train latency-controlled for streaming: chunks of this many model steps (30 ms each) for the reverse directions, as 'earshot stream --chunk-steps' runs them (default: whole clips)."
    )
    var chunkSteps: Int?

    @Option(name: .customLong("lookahead-steps"), help: "With --chunk-steps: look-ahead steps after each chunk.")
    var lookaheadSteps: Int = StreamingOptions().lookaheadSteps

    @Option(
        name: .customLong("chunked-share"),
        help:
            "With --chunk-steps: share of batches trained chunked, the rest on whole clips (one model for offline and streaming)."
    )
    var chunkedShare: Double = 1

    var options: TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs
        o.batchSize = batchSize
        o.learningRate = learningRate
        o.warmupSteps = warmupSteps
        o.maxGradientNorm = maxGradientNorm
        o.seed = seed
        o.patience = patience
        o.timeMasks = timeMasks
        o.maxTimeMaskFrames = maxTimeMask
        o.frequencyMasks = frequencyMasks
        o.maxFrequencyMaskBins = maxFrequencyMask
        o.speedFactors = speedFactors
        // Checked in `validate()`.
        o.vocalTractPerturbation = (try? VocalTractPerturbation.parse(vtlp)) ?? nil
        o.chunkedTraining = chunkSteps.map {
            .init(control: LatencyControl(chunkSteps: $0, lookaheadSteps: lookaheadSteps), share: chunkedShare)
        }
        return o
    }

    /// The flag of each field `TrainingOptions.validate()` checks.
    static let flags = FlagNames([
        "epochs": "--epochs", "batchSize": "--batch-size", "learningRate": "--learning-rate",
        "warmupSteps": "--warmup-steps", "maxGradientNorm": "--max-grad-norm", "patience": "--patience",
        "timeMasks": "--time-masks", "maxTimeMaskFrames": "--max-time-mask", "frequencyMasks": "--frequency-masks",
        "maxFrequencyMaskBins": "--max-frequency-mask", "speedFactors": "--speed-factors",
        "frozenLayers": "--freeze-layers", "chunkedTraining.control.chunkSteps": "--chunk-steps",
        "chunkedTraining.control.lookaheadSteps": "--lookahead-steps", "chunkedTraining.share": "--chunked-share",
    ])

    func validate() throws {
        do {
            _ = try VocalTractPerturbation.parse(vtlp)
        } catch {
            throw ValidationError(error.description)
        }
        try Self.flags.usageErrors { try options.validate() }
    }
}

/// The network's shape for a new model; defaults read from `AcousticModelConfig()`.
struct ArchitectureOptionGroup: ParsableArguments {
    private static let defaults = AcousticModelConfig()

    @Option(
        help: ArgumentHelp(
            "Recurrent cell of every layer: 'lstm' (PyTorch's nn.LSTM) or 'gru' (nn.GRU: 3 gates instead of 4, a quarter fewer weights, no cell state). Stored in the model. (default: \(defaults.cell.rawValue) for a new model; with --init or --resume, the model's own)",
            valueName: "lstm|gru"))
    var cell: RecurrentCell?

    @Flag(
        help:
            "LSTM with peephole connections: the input and forget gates see the previous cell state, the output gate the new one, through one weight per unit each (Gers & Schmidhuber 2000); LSTM only. Stored in the model. (default: off for a new model; with --init or --resume, the model's own)"
    )
    var peepholes = false

    @Option(name: .customLong("hidden-size"), help: "Recurrent units per direction.")
    var hiddenSize: Int = defaults.hiddenSize

    @Option(help: "Bidirectional recurrent layers.")
    var layers: Int = defaults.layerCount

    @Option(help: "Dropout between recurrent layers while training.")
    var dropout: Float = defaults.dropout

    @Option(name: .customLong("mel-bins"), help: "Log-mel bins of the front end.")
    var melBins: Int = defaults.features.mel.binCount

    @Option(name: .customLong("stack"), help: "Feature frames (10 ms) stacked into one model step.")
    var stack: Int = defaults.stacking.count

    var config: AcousticModelConfig {
        var c = AcousticModelConfig()
        c.cell = cell ?? c.cell
        c.peepholes = peepholes
        c.hiddenSize = hiddenSize
        c.layerCount = layers
        c.dropout = dropout
        c.features.mel.binCount = melBins
        c.stacking = .init(count: stack, stride: stack)
        return c
    }

    /// The flag of each field these options set.
    static let flags = FlagNames([
        "hiddenSize": "--hidden-size", "layerCount": "--layers", "dropout": "--dropout",
        "features.mel.binCount": "--mel-bins", "stacking.count": "--stack", "stacking.stride": "--stack",
        "cell": "--cell", "peepholes": "--peepholes",
    ])

    /// Refuses `--cell` or `--peepholes` that contradict the model a run continues from (`--init` or
    /// `--resume`, named by `source`), which keeps its own cell.
    func checkCell(of model: AcousticModelConfig, from source: String) throws {
        if let cell, cell != model.cell {
            throw ValidationError(
                "--cell \(cell.rawValue) contradicts the model of \(source), whose cell is \(model.cell.rawValue) (leave --cell out to keep it)"
            )
        }
        if peepholes && !model.peepholes {
            throw ValidationError(
                "--peepholes contradicts the model of \(source), which has none (leave --peepholes out to keep it)")
        }
    }

    func validate() throws {
        try Self.flags.usageErrors { try config.validate() }
    }
}
