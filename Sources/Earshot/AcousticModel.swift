import EarshotFeatures
import EarshotNN

/// The acoustic model: normalised, stacked log-mel features → bidirectional recurrent stack (LSTM, LSTM
/// with peepholes, or GRU: `config.cell`, `config.peepholes`) → Linear → per-step scores over the alphabet
/// (CTC blank first).
///
/// Weights live here and are shared and immutable: running the model changes nothing in it (training mode
/// is an argument of `forward`; the schedule and dropout masks are workspace state), and everything a
/// forward pass writes lives in a `Workspace`, one per thread or stream, so one loaded model serves any
/// number of concurrent recognitions (`Sendable`, checked by the compiler; only a trainer's optimizer
/// changes the values of its `Parameter`s).
/// Parameter names are PyTorch's (`lstm.weight_ih_l0`, …, `output.weight`, `output.bias`), so the same
/// network built with `torch.nn.LSTM(bidirectional=True)` (or `torch.nn.GRU`) + `torch.nn.Linear` loads our
/// weights.
public final class AcousticModel: Sendable {
    public let config: AcousticModelConfig
    /// Feature normalisation learned from the training set; part of the model.
    public let normalizer: FeatureNormalizer
    package let encoder: BidirectionalLSTM
    package let output: Linear

    /// A freshly initialised model (PyTorch's uniform(±1/√H) init of the cell, with forget-gate bias 1 for
    /// the LSTM; Linear likewise), drawn from `seed`. Throws unless `config` is valid (`AcousticModelConfig.validate()`).
    package init(config: AcousticModelConfig, normalizer: FeatureNormalizer? = nil, seed: UInt64)
        throws(AcousticModelConfigError)
    {
        try config.validate()
        self.config = config
        self.normalizer = normalizer ?? FeatureNormalizer(dimension: config.features.dimension)
        var generator = SeededGenerator(seed: seed)
        encoder = BidirectionalLSTM(
            configuration: Self.encoderConfiguration(config), prefix: "lstm.", generator: &generator)
        output = Linear(
            inputSize: 2 * config.hiddenSize, outputSize: config.outputSize, name: "output", generator: &generator)
    }

    /// A model over existing parameters (from a file), looked up by name. Throws unless `config` is valid
    /// (`AcousticModelConfigError`) and the parameters fit it.
    package init(config: AcousticModelConfig, normalizer: FeatureNormalizer, parameters: [String: Parameter]) throws {
        try config.validate()
        self.config = config
        self.normalizer = normalizer
        encoder = try BidirectionalLSTM(
            configuration: Self.encoderConfiguration(config), prefix: "lstm.", parameters: parameters)
        let v = config.outputSize, width = 2 * config.hiddenSize
        guard let weight = parameters["output.weight"] else {
            throw BidirectionalLSTM.ParameterError.missing(name: "output.weight")
        }
        guard weight.shape == [v, width] else {
            throw BidirectionalLSTM.ParameterError.shape(
                name: "output.weight", found: weight.shape, expected: [v, width])
        }
        guard let bias = parameters["output.bias"] else {
            throw BidirectionalLSTM.ParameterError.missing(name: "output.bias")
        }
        guard bias.shape == [v] else {
            throw BidirectionalLSTM.ParameterError.shape(name: "output.bias", found: bias.shape, expected: [v])
        }
        output = Linear(weight: weight, bias: bias)
    }

    /// The names and shapes of a model's parameters for `config`, in `parameters` (state-dict) order,
    /// without making the model.
    package static func parameterShapes(_ config: AcousticModelConfig) -> [(name: String, shape: [Int])] {
        let h = config.hiddenSize, encoder = encoderConfiguration(config), g = encoder.gateCount * h
        var shapes: [(name: String, shape: [Int])] = []
        for k in 0..<config.layerCount {
            for direction in LSTM.Direction.allCases {
                let names = LSTM.parameterNames(prefix: "lstm.", layer: k, direction: direction)
                shapes += [
                    (names.weightInput, [g, encoder.inputSize(ofLayer: k)]), (names.weightHidden, [g, h]),
                    (names.biasInput, [g]), (names.biasHidden, [g]),
                ]
                if config.peepholes {
                    let peepholes = LSTM.peepholeNames(prefix: "lstm.", layer: k, direction: direction)
                    shapes += [(peepholes.input, [h]), (peepholes.forget, [h]), (peepholes.output, [h])]
                }
            }
        }
        return shapes + [("output.weight", [config.outputSize, 2 * h]), ("output.bias", [config.outputSize])]
    }

    static func encoderConfiguration(_ config: AcousticModelConfig) -> BidirectionalLSTM.Configuration {
        .init(
            inputSize: config.inputSize, hiddenSize: config.hiddenSize, layerCount: config.layerCount,
            dropout: config.dropout, cell: config.cell, peepholes: config.peepholes)
    }

    /// The same network over the same `Parameter`s (shared, not copied) with another feature normaliser: a
    /// trainer's model once the training set's statistics are known.
    package func replacingNormalizer(_ normalizer: FeatureNormalizer) -> AcousticModel {
        AcousticModel(config: config, normalizer: normalizer, encoder: encoder, output: output)
    }

    /// The precision of the LSTM weights inference multiplies with (`.f32` as loaded or trained).
    public var weightPrecision: WeightPrecision { encoder.weightPrecision }

    /// The same model for inference with LSTM weights of `precision` (`BidirectionalLSTM.withWeightPrecision`):
    /// `.int8` quantises the six LSTM weight matrix pairs now (a few milliseconds for the shipped model) and
    /// keeps the float32 parameters beside them; such a model cannot be trained. The output layer stays
    /// float32. `self` if it already has that precision.
    public func withWeightPrecision(_ precision: WeightPrecision) -> AcousticModel {
        let encoder = encoder.withWeightPrecision(precision)
        return encoder === self.encoder
            ? self : AcousticModel(config: config, normalizer: normalizer, encoder: encoder, output: output)
    }

    private init(
        config: AcousticModelConfig, normalizer: FeatureNormalizer, encoder: BidirectionalLSTM,
        output: Linear
    ) {
        self.config = config
        self.normalizer = normalizer
        self.encoder = encoder
        self.output = output
    }

    /// The path from samples to this model's input (`ModelInputStage`): its features, stacking and
    /// normalisation; `windowFrames` and `priorFrames` set a stream's running mean (`StreamingOptions`).
    public func inputStage(windowFrames: Int = 600, priorFrames: Int = 200) throws(FeatureError) -> ModelInputStage {
        try ModelInputStage(
            features: config.features, stacking: config.stacking, normalization: config.normalization,
            normalizer: normalizer, windowFrames: windowFrames, priorFrames: priorFrames)
    }

    /// Every trainable parameter, in state-dict order.
    package var parameters: [Parameter] { encoder.parameters + output.parameters }

    /// Number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Freezes the lowest `count` bidirectional layers (both directions), unfreezing the rest: the
    /// optimiser then leaves them as they are (fine-tuning the upper layers on a little data).
    package func freezeLayers(_ count: Int) {
        for (k, layer) in encoder.layers.enumerated() {
            for p in layer.forward.parameters + layer.reverse.parameters { p.isFrozen = k < count }
        }
    }

    /// Buffers of one forward (and backward) pass, and how it runs; reuse one per thread, never share it
    /// between threads.
    package final class Workspace {
        package let encoder: BidirectionalLSTM.Workspace
        /// Scores (T, B, V) of the last forward pass.
        package internal(set) var logits: [Float] = []
        var encoderGradient: [Float] = []

        package init(model: AcousticModel) {
            encoder = BidirectionalLSTM.Workspace(configuration: model.encoder.configuration)
        }

        /// How each LSTM layer's two directions share the machine (`BidirectionalLSTM.Schedule`). Default
        /// `.concurrentDirections`.
        package var schedule: BidirectionalLSTM.Schedule {
            get { encoder.schedule }
            set { encoder.schedule = newValue }
        }
    }

    /// Unnormalised scores (T, B, V) for a padded batch of model inputs (T, B, inputSize); padded steps
    /// (t ≥ lengths[b]) hold the output layer's bias and are to be ignored. `training` turns on dropout
    /// (masks from `workspace.encoder.dropoutGenerator`); `latencyControl` runs the reverse directions on
    /// chunk windows as streaming does (for training).
    @discardableResult
    package func forward(
        _ input: UnsafePointer<Float>, shape: SequenceBatchShape, training: Bool, workspace: Workspace,
        latencyControl: LatencyControl? = nil
    ) -> [Float] {
        encoder.forward(
            input: input, shape: shape, workspace: workspace.encoder, latencyControl: latencyControl,
            training: training)
        let rows = shape.rowCount, v = config.outputSize
        if workspace.logits.count != rows * v { workspace.logits = [Float](repeating: 0, count: rows * v) }
        let hidden = workspace.encoder.output.baseAddress!
        workspace.logits.withUnsafeMutableBufferPointer { y in
            output.forward(input: hidden, rows: rows, output: y.baseAddress!)
        }
        return workspace.logits
    }

    /// Back-propagates `logitGradient` (T, B, V) through the last `forward` on `workspace`, adding into
    /// every parameter's gradient.
    package func backward(
        input: UnsafePointer<Float>, logitGradient: UnsafePointer<Float>, workspace: Workspace
    ) {
        guard let shape = workspace.encoder.shape else { preconditionFailure("backward without forward") }
        let rows = shape.rowCount, width = 2 * config.hiddenSize
        if workspace.encoderGradient.count != rows * width {
            workspace.encoderGradient = [Float](repeating: 0, count: rows * width)
        }
        let hidden = workspace.encoder.output.baseAddress!
        workspace.encoderGradient.withUnsafeMutableBufferPointer { dh in
            output.backward(input: hidden, rows: rows, outputGradient: logitGradient, inputGradient: dh.baseAddress!)
            encoder.backward(
                input: input, outputGradient: dh.baseAddress!, inputGradient: nil,
                workspace: workspace.encoder)
        }
    }

    /// Log-probabilities (T, V) of one utterance's model input (T, inputSize).
    public func logProbabilities(_ input: FeatureMatrix) -> FeatureMatrix {
        logProbabilities(input, workspace: Workspace(model: self))
    }

    /// The same, with the buffers (and schedule) of `workspace`.
    package func logProbabilities(_ input: FeatureMatrix, workspace: Workspace) -> FeatureMatrix {
        precondition(
            input.dimension == config.inputSize,
            "input has \(input.dimension) values per step, model \(config.inputSize)")
        let shape = SequenceBatchShape(timeSteps: input.frameCount, lengths: [input.frameCount])
        var scores = input.values.withUnsafeBufferPointer { x in
            forward(x.baseAddress!, shape: shape, training: false, workspace: workspace)
        }
        scores.withUnsafeMutableBufferPointer { y in
            LogSoftmax.forward(
                input: y.baseAddress!, output: y.baseAddress!, rows: input.frameCount, columns: config.outputSize)
        }
        return FeatureMatrix(frameCount: input.frameCount, dimension: config.outputSize, values: scores)
    }
}
