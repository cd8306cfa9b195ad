import EarshotNN
import Foundation

/// Why a model file could not be loaded: every problem found, each naming what is wrong.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var problems: [String]

    public var description: String {
        problems.count == 1
            ? "\(path): \(problems[0])"
            : "\(path): \(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Model files: one `.safetensors` file (loadable with Python's `safetensors`), the weights under
/// PyTorch's state-dict names plus `normalizer.mean` and `normalizer.inverse_std` (F each), and in its
/// metadata `format` = `earshot-acoustic-model`, `format_version` and `config` (the
/// `AcousticModelConfig` as JSON).
extension AcousticModel {
    public static let fileFormat = "earshot-acoustic-model"

    /// The tensors and metadata of this model, as written to a model file (and embedded in checkpoints).
    package func fileContents() throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = Tensor(p) }
        tensors["normalizer.mean"] = Tensor(shape: [normalizer.dimension], values: normalizer.mean)
        tensors["normalizer.inverse_std"] = Tensor(shape: [normalizer.dimension], values: normalizer.inverseDeviation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(self.config), as: UTF8.self)
        return (
            tensors,
            [
                "format": Self.fileFormat, "format_version": "\(AcousticModelConfig.currentFormatVersion)",
                "config": config,
            ]
        )
    }

    /// Writes the model to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        let (tensors, metadata) = try fileContents()
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// Loads a model file, checking the format, the version, the config (`AcousticModelConfig.validate()`)
    /// and every tensor's name and shape; throws `ModelFileError` listing everything that does not match
    /// (a bad config as the one problem, naming its field).
    public static func load(path: String) throws -> AcousticModel {
        let (tensors, metadata) = try SafeTensors.read(path: path)
        return try load(tensors: tensors, metadata: metadata, path: path)
    }

    /// Builds a model from a file's tensors and metadata (also used for checkpoints).
    package static func load(tensors: [String: Tensor], metadata: [String: String], path: String) throws
        -> AcousticModel
    {
        func fail(_ problems: [String]) -> ModelFileError { ModelFileError(path: path, problems: problems) }
        guard metadata["format"] == fileFormat else {
            throw fail([
                "not an Earshot acoustic model (metadata format is \(metadata["format"].map { "'\($0)'" } ?? "missing"), expected '\(fileFormat)')"
            ])
        }
        guard let version = metadata["format_version"].flatMap(Int.init),
            version == AcousticModelConfig.currentFormatVersion
        else {
            throw fail([
                "format version \(metadata["format_version"] ?? "missing") is not supported (this build reads version \(AcousticModelConfig.currentFormatVersion))"
            ])
        }
        guard let json = metadata["config"] else { throw fail(["the metadata has no config"]) }
        let config: AcousticModelConfig
        do {
            config = try AcousticModelConfig(json: json)
        } catch {
            throw fail(["the config in the metadata is invalid: \(error)"])
        }
        let shapes = AcousticModel.parameterShapes(config)
        let f = config.features.dimension
        var expected = Dictionary(uniqueKeysWithValues: shapes.map { ($0.name, $0.shape) })
        expected["normalizer.mean"] = [f]
        expected["normalizer.inverse_std"] = [f]
        var problems: [String] = []
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            guard let tensor = tensors[name] else { problems.append("tensor \(name) is missing"); continue }
            if tensor.shape != shape { problems.append("tensor \(name) has shape \(tensor.shape), expected \(shape)") }
            if !tensor.values.allSatisfy(\.isFinite) { problems.append("tensor \(name) holds NaN or infinite values") }
        }
        for name in tensors.keys.sorted() where expected[name] == nil {
            problems.append("unexpected tensor \(name)")
        }
        guard problems.isEmpty else { throw fail(problems) }
        var parameters: [String: Parameter] = [:]
        for (name, shape) in shapes {
            parameters[name] = Parameter(name: name, shape: shape, value: tensors[name]!.values)
        }
        let normalizer = FeatureNormalizer(
            mean: tensors["normalizer.mean"]!.values,
            inverseDeviation: tensors["normalizer.inverse_std"]!.values)
        return try AcousticModel(config: config, normalizer: normalizer, parameters: parameters)
    }
}
