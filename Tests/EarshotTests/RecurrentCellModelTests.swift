import Earshot
import EarshotNN
import EarshotTestSupport
import Foundation
import Testing

/// The acoustic model's recurrent cell (`AcousticModelConfig.cell`, `.peepholes`): stored in the model
/// file, absent in older files (which load as the LSTM they are), and the tensors must fit it.
@Suite struct RecurrentCellModelTests {
    /// A small model config of `cell`.
    static func config(_ cell: RecurrentCell, peepholes: Bool = false) -> AcousticModelConfig {
        var config = AcousticModelConfig()
        config.features.mel.binCount = 10
        config.hiddenSize = 5
        config.layerCount = 2
        config.cell = cell
        config.peepholes = peepholes
        return config
    }

    @Test func aConfigWithoutTheFieldsDecodesAsTheLSTM() throws {
        var object =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.config(.gru))) as! [String: Any]
        #expect(object["cell"] as? String == "gru" && object["peepholes"] as? Bool == false)
        object["cell"] = nil
        object["peepholes"] = nil
        let old = try AcousticModelConfig(
            json: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(old == Self.config(.lstm))
    }

    /// The shipped model predates the fields: it loads as a plain LSTM (and `ShippedModelTests`,
    /// `SpeechRecognizerTests` check it transcribes as before).
    @Test func theShippedModelLoadsAsAPlainLSTM() throws {
        let path = SpeechRecognizerTests.repository.appendingPathComponent("Models/earshot-en.safetensors").path
        let (_, metadata) = try SafeTensors.read(path: path)
        #expect(!metadata["config"]!.contains("\"cell\""), "the shipped model is expected to predate the field")
        let model = try AcousticModel.load(path: path)
        #expect(model.config.cell == .lstm && !model.config.peepholes)
    }

    /// Each cell: written, read back with the same config, parameters and log-probabilities; names are the
    /// LSTM's (`lstm.weight_ih_l0`, …) with `3H` rows for the GRU and peephole vectors for the peephole LSTM.
    @Test(arguments: [(RecurrentCell.lstm, false), (.lstm, true), (.gru, false)])
    func aModelOfEachCellRoundTrips(_ cell: RecurrentCell, _ peepholes: Bool) throws {
        let config = Self.config(cell, peepholes: peepholes)
        let model = try AcousticModel(config: config, seed: 7)
        let names = Set(model.parameters.map(\.name))
        #expect(names.contains("lstm.weight_co_l1_reverse") == peepholes)
        let weight = model.parameters.first { $0.name == "lstm.weight_hh_l1_reverse" }
        #expect(weight?.shape == [cell.gateCount * 5, 5])
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("m.safetensors").path
            try model.write(to: path)
            let loaded = try AcousticModel.load(path: path)
            #expect(loaded.config == config)
            #expect(loaded.parameters.map(\.name) == model.parameters.map(\.name))
            #expect(loaded.parameters.map(\.value) == model.parameters.map(\.value))
            let input = FeatureMatrix(
                frameCount: 9, dimension: config.inputSize,
                values: (0..<(9 * config.inputSize)).map { Float(($0 * 37) % 23) / 23 - 0.5 })
            #expect(loaded.logProbabilities(input).values == model.logProbabilities(input).values)
        }
    }

    /// A file whose config names another cell than its tensors fit is refused, naming the tensor and both
    /// shapes.
    @Test func tensorsOfAnotherCellAreRefused() throws {
        let lstm = try AcousticModel(config: Self.config(.lstm), seed: 8)
        let contents = try lstm.fileContents()
        let tensors = contents.tensors
        var metadata = contents.metadata
        metadata["config"] = metadata["config"]!.replacingOccurrences(of: "\"cell\":\"lstm\"", with: "\"cell\":\"gru\"")
        #expect(metadata["config"]!.contains("\"cell\":\"gru\""))
        do {
            _ = try AcousticModel.load(tensors: tensors, metadata: metadata, path: "m")
            Issue.record("LSTM tensors loaded as a GRU")
        } catch {
            #expect("\(error)".contains("lstm.weight_ih_l0 has shape [20, 30], expected [15, 30]"), "\(error)")
        }
        // Peepholes named in the config but absent from the tensors.
        metadata["config"] = metadata["config"]!.replacingOccurrences(of: "\"cell\":\"gru\"", with: "\"cell\":\"lstm\"")
            .replacingOccurrences(of: "\"peepholes\":false", with: "\"peepholes\":true")
        do {
            _ = try AcousticModel.load(tensors: tensors, metadata: metadata, path: "m")
            Issue.record("a peephole config without peephole tensors loaded")
        } catch {
            #expect("\(error)".contains("lstm.weight_ci_l0 is missing"), "\(error)")
        }
    }
}

/// int8 weights for every cell: the model and the recognizer load them, and the log-probabilities stay
/// close to float32's.
@Suite struct RecurrentCellPrecisionTests {
    /// `|log p_int8 − log p_f32| ≤ 0.05` on a random small model's 9 steps: its weights are U(±1/√5), so
    /// the int8 rounding of weights and activations (~0.4 % of a row's largest value) moves each
    /// pre-activation by ~1e-3 and a log-probability by a few times that.
    @Test(arguments: [(RecurrentCell.lstm, false), (.lstm, true), (.gru, false)])
    func int8WeightsLoadForEveryCell(_ cell: RecurrentCell, _ peepholes: Bool) throws {
        let config = RecurrentCellModelTests.config(cell, peepholes: peepholes)
        let model = try AcousticModel(config: config, seed: 9)
        let int8 = model.withWeightPrecision(.int8)
        #expect(model.weightPrecision == .f32 && int8.weightPrecision == .int8)
        #expect(int8.withWeightPrecision(.f32).weightPrecision == .f32)
        let input = FeatureMatrix(
            frameCount: 9, dimension: config.inputSize,
            values: (0..<(9 * config.inputSize)).map { Float(($0 * 41) % 29) / 29 - 0.5 })
        let a = model.logProbabilities(input).values, b = int8.logProbabilities(input).values
        let difference = zip(a, b).map { abs($0 - $1) }.max()!
        #expect(difference <= 0.05 && difference > 0, "max |int8 − f32| = \(difference)")
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("m.safetensors").path
            try model.write(to: path)
            let recognizer = try SpeechRecognizer.load(model: path, precision: .int8)
            #expect(recognizer.model.weightPrecision == .int8)
        }
    }
}
