import EarshotFeatures
import EarshotNN

@testable import Earshot

/// A model file's `config` metadata (the whole input, as text) through `AcousticModelConfig(json:)`
/// (decoding and `validate()`) and `AcousticModel.load(tensors:metadata:path:)`.
///
/// Checks: a config that does not decode or validate is refused by `load` as well; one that does, given
/// tensors of the shapes it asks for (when they total at most `maximumValues`), loads into a model with
/// that config, which maps a few frames of input to finite log-probabilities of the right shape.
enum ModelConfigTarget {
    /// Largest model built, in values (4 MB of `Float`), so one input stays well under a second.
    static let maximumValues = 1_000_000
    /// Input frames run through a loaded model.
    static let frames = 3

    static func run(_ input: [UInt8]) {
        let json = String(decoding: input, as: UTF8.self)
        let metadata = [
            "format": AcousticModel.fileFormat, "format_version": "\(AcousticModelConfig.currentFormatVersion)",
            "config": json,
        ]
        guard let config = try? AcousticModelConfig(json: json) else {
            require(
                (try? AcousticModel.load(tensors: [:], metadata: metadata, path: "<fuzz>")) == nil,
                "load accepted a config that AcousticModelConfig(json:) rejects")
            return
        }
        let dimension = config.features.dimension
        var shapes = AcousticModel.parameterShapes(config)
        shapes.append((name: "normalizer.mean", shape: [dimension]))
        shapes.append((name: "normalizer.inverse_std", shape: [dimension]))
        let total = shapes.reduce(0) { $0 + $1.shape.reduce(1, *) }
        guard total <= maximumValues else { return }

        var tensors: [String: Tensor] = [:]
        for (name, shape) in shapes {
            let value: Float = name == "normalizer.inverse_std" ? 1 : 0.01
            tensors[name] = Tensor(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
        }
        let model: AcousticModel
        do {
            model = try AcousticModel.load(tensors: tensors, metadata: metadata, path: "<fuzz>")
        } catch {
            require(false, "load rejected a valid config with matching tensors: \(error)")
            return
        }
        require(model.config == config, "the loaded model's config differs")
        let output = model.logProbabilities(
            FeatureMatrix(
                frameCount: frames, dimension: config.inputSize,
                values: [Float](repeating: 0.5, count: frames * config.inputSize)))
        require(
            output.frameCount == frames && output.dimension == config.outputSize,
            "output \(output.frameCount) × \(output.dimension), expected \(frames) × \(config.outputSize)")
        require(output.values.allSatisfy(\.isFinite), "non-finite log-probabilities")
    }
}
