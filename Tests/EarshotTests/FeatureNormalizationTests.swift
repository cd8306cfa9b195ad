import Earshot
import EarshotAudio
import EarshotFeatures
import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// `FeatureNormalization` modes against naive computations, the config's backward-compatible decoding, and
/// the running estimate of `OnlineFeatureNormalizer` against Kaldi's OnlineCmvn formula written out.
final class FeatureNormalizationTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Random log-mel-like frames (T, F): a per-dimension offset plus noise, so means are far from 0.
    private func frames(_ t: Int, _ f: Int, seed: UInt64) -> FeatureMatrix {
        let noise = seededNoise(count: t * f, seed: seed, amplitude: 4)
        return FeatureMatrix(
            frameCount: t, dimension: f, values: noise.enumerated().map { $0.element + Float($0.offset % f) - 3 })
    }

    private func globalStatistics(_ f: Int) -> FeatureNormalizer {
        FeatureNormalizer(
            mean: (0..<f).map { Float($0) * 0.5 - 1 }, inverseDeviation: (0..<f).map { 1 / (1 + Float($0) * 0.1) })
    }

    func testUtteranceMeanEqualsTheNaiveComputation() {
        let t = 137, f = 7
        let input = frames(t, f, seed: 11), global = globalStatistics(f)
        var got = input
        global.apply(to: &got, mode: .utteranceMean)
        var expected = [Float](repeating: 0, count: t * f)
        for j in 0..<f {
            var sum = 0.0
            for i in 0..<t { sum += Double(input.values[i * f + j]) }
            let mean = sum / Double(t)
            for i in 0..<t {
                expected[i * f + j] = Float(
                    (Double(input.values[i * f + j]) - mean) * Double(global.inverseDeviation[j]))
            }
        }
        assertClose(got.values, expected, tolerance: 1e-5, "utterance mean")
        // Global mode is the global normalisation, bit for bit.
        var global1 = input, global2 = input
        global.apply(to: &global1, mode: .global)
        global.apply(to: &global2)
        XCTAssertEqual(global1, global2)
        // The pipeline follows the config.
        var config = AcousticModelConfig()
        config.features.mel.binCount = f
        config.normalization = .utteranceMean
        let stage = try! ModelInputStage(
            features: config.features, stacking: config.stacking,
            normalization: config.normalization, normalizer: global)
        XCTAssertEqual(stage.modelInput(filterbank: input), config.stacking.apply(got))
    }

    func testConfigWithoutNormalizationDecodesAsGlobal() throws {
        var config = AcousticModelConfig()
        config.hiddenSize = 17
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        XCTAssertEqual(object["normalization"] as? String, "global")
        object["normalization"] = nil
        let old = try JSONDecoder().decode(
            AcousticModelConfig.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(old.normalization, .global)
        XCTAssertEqual(old, config)
        object["normalization"] = "utterance-mean"
        let new = try JSONDecoder().decode(
            AcousticModelConfig.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(new.normalization, .utteranceMean)
        // An unknown mode and a missing older field are errors, not silently defaulted.
        object["normalization"] = "per-speaker"
        XCTAssertThrowsError(
            try JSONDecoder().decode(AcousticModelConfig.self, from: JSONSerialization.data(withJSONObject: object)))
        object["normalization"] = nil
        object["hiddenSize"] = nil
        XCTAssertThrowsError(
            try JSONDecoder().decode(AcousticModelConfig.self, from: JSONSerialization.data(withJSONObject: object)))
    }

    /// A model file written before the field existed (the PyTorch parity fixture) loads as `.global`, its
    /// model input is exactly the global normalisation of the filterbank, and written back (now with the
    /// field) it decodes a clip to the same log-probabilities.
    func testOlderModelFileLoadsAsGlobalAndDecodesTheSame() throws {
        let path = Self.repository.appendingPathComponent("Tests/EarshotTests/Fixtures/parity_model.safetensors").path
        let (_, metadata) = try SafeTensors.read(path: path)
        XCTAssertFalse(
            metadata["config"]!.contains("normalization"), "the fixture's config is expected to predate the field")
        let model = try AcousticModel.load(path: path)
        XCTAssertEqual(model.config.normalization, .global)

        let stage = try model.inputStage()
        let clip = Self.repository.appendingPathComponent("Audio/flite-slt-fox-16k.wav").path
        let samples = try AudioFile.read(path: clip, sampleRate: stage.sampleRate).samples
        let filterbank = try stage.filterbank(samples: samples)
        var naive = filterbank
        model.normalizer.apply(to: &naive)
        let input = stage.modelInput(filterbank: filterbank)
        XCTAssertEqual(input, model.config.stacking.apply(naive))

        let copy = try temporaryDirectory(self).appendingPathComponent("m.safetensors").path
        try model.write(to: copy)
        let reloaded = try AcousticModel.load(path: copy)
        XCTAssertEqual(reloaded.config, model.config)
        let workspace = AcousticModel.Workspace(model: model)
        let original = model.logProbabilities(input, workspace: workspace)
        let again = reloaded.logProbabilities(
            try reloaded.inputStage().modelInput(samples: samples),
            workspace: AcousticModel.Workspace(model: reloaded))
        XCTAssertEqual(again, original)
    }

    func testAnUtteranceMeanModelRoundTrips() throws {
        var config = AcousticModelConfig()
        config.hiddenSize = 8
        config.layerCount = 1
        config.normalization = .utteranceMean
        let model = try AcousticModel(config: config, normalizer: globalStatistics(80), seed: 4)
        let path = try temporaryDirectory(self).appendingPathComponent("m.safetensors").path
        try model.write(to: path)
        let (tensors, metadata) = try SafeTensors.read(path: path)
        XCTAssertTrue(metadata["config"]!.contains("\"normalization\":\"utterance-mean\""), metadata["config"]!)
        XCTAssertEqual(
            Set(tensors.keys.filter { $0.hasPrefix("normalizer.") }), ["normalizer.mean", "normalizer.inverse_std"])
        let loaded = try AcousticModel.load(path: path)
        XCTAssertEqual(loaded.config, config)
        XCTAssertEqual(loaded.normalizer, model.normalizer)
        XCTAssertEqual(loaded.parameters.map(\.value), model.parameters.map(\.value))
    }

    /// Kaldi's OnlineCmvn written out per frame, in double precision: frame t (from the last reset) uses the
    /// last n = min(t + 1, W) frames, with (P − n) frames of the global mean while n < P.
    private func naiveCausal(
        _ x: FeatureMatrix, global: FeatureNormalizer, window w: Int, prior p: Int,
        resets: Set<Int>
    ) -> [Float] {
        let f = x.dimension
        var out = [Float](repeating: 0, count: x.values.count)
        var start = 0
        for t in 0..<x.frameCount {
            if resets.contains(t) { start = t }
            let first = max(start, t - w + 1), n = t - first + 1
            for j in 0..<f {
                var sum = 0.0
                for k in first...t { sum += Double(x.values[k * f + j]) }
                let mean = n >= p ? sum / Double(n) : (sum + Double(p - n) * Double(global.mean[j])) / Double(p)
                out[t * f + j] = Float((Double(x.values[t * f + j]) - mean) * Double(global.inverseDeviation[j]))
            }
        }
        return out
    }

    func testRunningEstimateEqualsTheNaiveCausalFormulaInAnyBlockSizes() {
        let f = 5, t = 260, global = globalStatistics(f)
        let input = frames(t, f, seed: 23)
        var generator = SeededGenerator(seed: 5)
        for (w, p) in [(40, 15), (7, 30), (600, 200), (1, 0), (25, 0)] {
            for resetAt in [nil, 131] {
                var normalizer = OnlineFeatureNormalizer(
                    global: global, mode: .utteranceMean, windowFrames: w, priorFrames: p)
                var got: [Float] = []
                var position = 0
                while position < t {
                    var end = min(t, position + Int.random(in: 1...37, using: &generator))
                    if let resetAt, position < resetAt, end > resetAt { end = resetAt }
                    if position == resetAt { normalizer.reset() }
                    var block = FeatureMatrix(
                        frameCount: end - position, dimension: f,
                        values: Array(input.values[(position * f)..<(end * f)]))
                    normalizer.apply(to: &block)
                    got += block.values
                    position = end
                }
                let expected = naiveCausal(
                    input, global: global, window: w, prior: p, resets: resetAt.map { [$0] } ?? [])
                assertClose(
                    got, expected, tolerance: 2e-5, "W \(w), P \(p), reset \(resetAt.map(String.init) ?? "none")")
            }
        }
        // Global mode is the global normalisation, whatever came before.
        var online = OnlineFeatureNormalizer(global: global, mode: .global)
        var a = input, b = input
        online.apply(to: &a)
        global.apply(to: &b)
        XCTAssertEqual(a, b)
    }

    /// The tiny model switched to `.utteranceMean` streams and decodes offline without trouble (its weights
    /// were trained with the global mean, so only that it runs is checked, not what it hears).
    func testAStreamOfAnUtteranceMeanModelRuns() throws {
        var config = TinyModel.model.config
        config.normalization = .utteranceMean
        let model = try AcousticModel(
            config: config, normalizer: TinyModel.model.normalizer,
            parameters: Dictionary(uniqueKeysWithValues: TinyModel.model.parameters.map { ($0.name, $0) }))
        let samples = try TinyModel.samples("hello_world")
        var options = StreamingOptions()
        options.normalizationPriorFrames = 20
        let stream = try SpeechRecognizer(model: model).stream(options: options)
        var events: [StreamEvent] = []
        for start in stride(from: 0, to: samples.count, by: 1000) {
            events += try stream.accept(samples: Array(samples[start..<min(start + 1000, samples.count)]))
        }
        events += try stream.finish()
        XCTAssertTrue(events.allSatisfy { $0.segment.confidence.isFinite })
        let recognizer = try SpeechRecognizer(model: model)
        let offline = try recognizer.transcribe(samples: samples, sampleRate: recognizer.sampleRate)
        XCTAssertEqual(offline.segments.count, 1)
        options.normalizationWindowFrames = 0
        XCTAssertThrowsError(try SpeechRecognizer(model: model).stream(options: options))
    }
}
