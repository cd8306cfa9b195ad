import Earshot
import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// The acoustic model against its PyTorch twin (`torch.nn.LSTM(bidirectional=True)` + `Linear`), whose
/// weights were exported to Earshot's format by Scripts/export_pytorch_model.py
/// (Fixtures: Scripts/fixtures/make_model_fixtures.py): same log-probabilities, same CTC losses, same
/// parameter gradients on one padded batch.
final class ModelParityTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    func testLogProbabilitiesLossAndGradientsMatchPyTorch() throws {
        let model = try AcousticModel.load(path: Self.fixtures.appendingPathComponent("parity_model.safetensors").path)
        let (batch, metadata) = try SafeTensors.read(
            path: Self.fixtures.appendingPathComponent("parity_batch.safetensors").path)
        let lengths = try JSONDecoder().decode([Int].self, from: Data(metadata["lengths"]!.utf8))
        let targets = try JSONDecoder().decode([[Int]].self, from: Data(metadata["targets"]!.utf8))
        let input = batch["input"]!
        let t = input.shape[0], b = input.shape[1], v = model.config.outputSize
        XCTAssertEqual(input.shape[2], model.config.inputSize)
        let shape = SequenceBatchShape(timeSteps: t, lengths: lengths)
        let workspace = AcousticModel.Workspace(model: model)

        // Log-probabilities. PyTorch and we both compute in float32 with different summation orders;
        // through two LSTM layers the values (|log p| ≲ 10) agree to ~1e-6; the issue asks for 1e-4.
        var logits = input.values.withUnsafeBufferPointer {
            model.forward($0.baseAddress!, shape: shape, training: false, workspace: workspace)
        }
        var logProbabilities = logits
        logProbabilities.withUnsafeMutableBufferPointer {
            LogSoftmax.forward(input: $0.baseAddress!, output: $0.baseAddress!, rows: t * b, columns: v)
        }
        shape.zeroPadding(&logProbabilities, width: v)
        assertClose(logProbabilities, batch["log_probs"]!.values, tolerance: 1e-4, "log-probabilities")
        let (worst, _) = maxAbsoluteDifference(logProbabilities, batch["log_probs"]!.values)
        print("parity: log-probabilities max |diff| \(worst)")

        // CTC losses and the gradient of their sum with respect to every parameter.
        for p in model.parameters { p.zeroGradient() }
        let (results, gradient) = CTCLoss().compute(
            logits: logits, timeSteps: t, batchSize: b, vocabularySize: v, inputLengths: lengths, targets: targets,
            computeGradient: true)
        let losses = results.compactMap(\.loss)
        XCTAssertEqual(losses.count, b)
        for (ours, theirs) in zip(losses, batch["loss"]!.values) {
            XCTAssertEqual(ours, theirs, accuracy: 1e-5 * abs(theirs), "CTC loss")
        }
        input.values.withUnsafeBufferPointer { x in
            gradient!.withUnsafeBufferPointer { g in
                model.backward(input: x.baseAddress!, logitGradient: g.baseAddress!, workspace: workspace)
            }
        }
        logits = []
        // Gradients are sums over ~60 steps and 3 sequences of float32 products: compared relative to
        // each tensor's largest entry, 1e-4 leaves room for summation order and nothing for a wrong term.
        var worstRelative: Float = 0
        for p in model.parameters {
            let expected = batch["grad." + p.name]!
            XCTAssertEqual(expected.shape, p.shape, p.name)
            let scale = max(expected.values.map(abs).max() ?? 1, 1e-6)
            let (difference, _) = maxAbsoluteDifference(p.gradient, expected.values)
            worstRelative = max(worstRelative, difference / scale)
            XCTAssertLessThanOrEqual(difference / scale, 1e-4, "gradient of \(p.name)")
        }
        print("parity: gradients max relative diff \(worstRelative)")
    }

    /// The shapes a model file is checked against are those of a model made from the configuration.
    func testParameterShapesFollowTheConfiguration() throws {
        var config = AcousticModelConfig()
        config.hiddenSize = 8
        config.layerCount = 2
        let model = try AcousticModel(config: config, seed: 3)
        let shapes = AcousticModel.parameterShapes(config)
        XCTAssertEqual(shapes.map(\.name), model.parameters.map(\.name))
        XCTAssertEqual(shapes.map(\.shape), model.parameters.map(\.shape))
    }

    func testLoadingReportsEveryMismatch() throws {
        let path = Self.fixtures.appendingPathComponent("parity_model.safetensors").path
        var (tensors, metadata) = try SafeTensors.read(path: path)
        tensors["output.bias"] = nil
        tensors["lstm.weight_hh_l1"] = Tensor(shape: [3, 3], values: Array(repeating: 0, count: 9))
        tensors["extra"] = Tensor(shape: [1], values: [0])
        XCTAssertThrowsError(try AcousticModel.load(tensors: tensors, metadata: metadata, path: "m.safetensors")) {
            error in
            let text = "\(error)"
            for expected in [
                "m.safetensors", "output.bias is missing", "lstm.weight_hh_l1 has shape [3, 3]",
                "unexpected tensor extra",
            ] {
                XCTAssertTrue(text.contains(expected), "\(text) lacks \(expected)")
            }
        }
        metadata["format_version"] = "99"
        XCTAssertThrowsError(try AcousticModel.load(tensors: tensors, metadata: metadata, path: "m")) {
            XCTAssertTrue("\($0)".contains("version 99"), "\($0)")
        }
        metadata["format"] = "something-else"
        XCTAssertThrowsError(try AcousticModel.load(tensors: tensors, metadata: metadata, path: "m")) {
            XCTAssertTrue("\($0)".contains("not an Earshot acoustic model"), "\($0)")
        }
    }

    func testAModelWrittenByEarshotReadsBackIdentically() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("m.safetensors").path
        var config = AcousticModelConfig()
        config.hiddenSize = 8
        config.layerCount = 1
        let model = try AcousticModel(
            config: config,
            normalizer: FeatureNormalizer(
                mean: (0..<80).map { Float($0) }, inverseDeviation: (0..<80).map { 1 / Float($0 + 1) }),
            seed: 9)
        try model.write(to: path)
        let loaded = try AcousticModel.load(path: path)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertEqual(loaded.normalizer, model.normalizer)
        XCTAssertEqual(loaded.parameters.map(\.value), model.parameters.map(\.value))
        // Truncated and garbage files are reported with the path, not a crash.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(100).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AcousticModel.load(path: path)) { XCTAssertTrue("\($0)".contains(path), "\($0)") }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AcousticModel.load(path: path)) { XCTAssertTrue("\($0)".contains(path), "\($0)") }
    }
}
