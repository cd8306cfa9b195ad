import Earshot
import EarshotNN
import Foundation

/// A training checkpoint: one safetensors file holding the model (as a model file does), the optimizer's
/// moments under `optimizer.` and, in the metadata, the `TrainingState` and `TrainingOptions` as JSON.
/// Written atomically, so an interrupted write leaves the previous checkpoint intact.
public struct Checkpoint {
    public var model: AcousticModel
    public var optimizerState: [String: Tensor]
    public var optimizerStep: Int
    public var state: TrainingState
    public var options: TrainingOptions

    static let optimizerPrefix = "optimizer."

    public init(model: AcousticModel, optimizer: Optimizer, state: TrainingState, options: TrainingOptions) {
        self.model = model
        (optimizerState, optimizerStep) = optimizer.exportState()
        self.state = state
        self.options = options
    }

    public func write(to path: String) throws {
        var (tensors, metadata) = try model.fileContents()
        for (name, tensor) in optimizerState { tensors[Self.optimizerPrefix + name] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        metadata["training_state"] = String(decoding: try encoder.encode(state), as: UTF8.self)
        metadata["training_options"] = String(decoding: try encoder.encode(options), as: UTF8.self)
        metadata["optimizer_step"] = "\(optimizerStep)"
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// Reads a checkpoint, checking its model as a model file (`ModelFileError`), and its training state
    /// (`TrainingState.validate()`) and options (`TrainingOptions.validate()`): `TrainingError.checkpoint`
    /// naming the file and the field.
    public static func read(path: String) throws -> Checkpoint {
        let (tensors, metadata) = try SafeTensors.read(path: path)
        let modelTensors = tensors.filter { !$0.key.hasPrefix(optimizerPrefix) }
        var optimizerState: [String: Tensor] = [:]
        for (name, tensor) in tensors where name.hasPrefix(optimizerPrefix) {
            optimizerState[String(name.dropFirst(optimizerPrefix.count))] = tensor
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let stateText = metadata["training_state"], let optionsText = metadata["training_options"],
            let step = metadata["optimizer_step"].flatMap(Int.init)
        else {
            throw TrainingError.checkpoint(
                path: path, cause: "not a training checkpoint (no training state in its metadata)")
        }
        let model = try AcousticModel.load(tensors: modelTensors, metadata: metadata, path: path)
        let state: TrainingState, options: TrainingOptions
        do {
            state = try decoder.decode(TrainingState.self, from: Data(stateText.utf8))
            options = try decoder.decode(TrainingOptions.self, from: Data(optionsText.utf8))
        } catch {
            throw TrainingError.checkpoint(path: path, cause: "training state is unreadable: \(error)")
        }
        do {
            try state.validate()
        } catch {
            throw TrainingError.checkpoint(path: path, cause: "the training state in the metadata is invalid: \(error)")
        }
        do {
            try options.validate()
        } catch {
            throw TrainingError.checkpoint(
                path: path, cause: "the training options in the metadata are invalid: \(error)")
        }
        return Checkpoint(
            model: model, optimizerState: optimizerState, optimizerStep: step, state: state, options: options)
    }

    private init(
        model: AcousticModel, optimizerState: [String: Tensor], optimizerStep: Int, state: TrainingState,
        options: TrainingOptions
    ) {
        self.model = model
        self.optimizerState = optimizerState
        self.optimizerStep = optimizerStep
        self.state = state
        self.options = options
    }
}
