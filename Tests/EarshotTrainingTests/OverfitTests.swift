import Earshot
import EarshotAudio
import EarshotDecoding
import EarshotTestSupport
import EarshotTraining
import Foundation
import XCTest

/// Training end to end on six short espeak-ng clips (Fixtures/clips, made by
/// Scripts/fixtures/make_training_clips.sh): the model must learn them by heart.
final class OverfitTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func tinyEntries() throws -> [ManifestEntry] {
        let manifest = try Manifest.read(path: fixtures.appendingPathComponent("tiny.tsv").path)
        return try ManifestValidation.usableEntries(manifest, alphabet: .english, checkAudio: true, skipInvalid: false)
            .entries
    }

    /// A small network, so that a debug build trains it in seconds.
    static var tinyConfig: AcousticModelConfig {
        var config = AcousticModelConfig()
        config.features.mel.binCount = 40
        config.hiddenSize = 48
        config.layerCount = 2
        config.dropout = 0
        return config
    }

    static var tinyOptions: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 300
        options.batchSize = 6
        options.learningRate = 3e-3
        options.warmupSteps = 10
        options.speedFactors = [1]
        options.timeMasks = 0
        options.frequencyMasks = 0
        options.vocalTractPerturbation = nil
        options.patience = 0
        return options
    }

    func testOverfitsAHandfulOfClipsUntilGreedyDecodingIsExact() throws {
        let entries = try Self.tinyEntries()
        XCTAssertEqual(entries.count, 6)
        let directory = try temporaryDirectory(self)
        let model = try AcousticModel(config: Self.tinyConfig, seed: 3)
        let trainer = try Trainer(
            model: model, training: entries, validation: entries, options: Self.tinyOptions,
            checkpointDirectory: directory.path, modelPath: directory.appendingPathComponent("model.safetensors").path,
            computeNormalizer: true)
        let start = Date()
        var epochs = 0
        try trainer.run { event in
            if case .epoch(let summary, _) = event {
                epochs += 1
                if summary.validationCER == 0 { trainer.stopFlag.request() }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(
            "overfit: \(epochs) epochs, \(String(format: "%.1f", seconds)) s, CER \(trainer.state.history.last!.validationCER)"
        )
        XCTAssertEqual(trainer.state.history.last?.validationCER, 0, "did not learn the clips in \(epochs) epochs")
        XCTAssertLessThan(seconds, 60)

        // The best model was written, loads, and transcribes every clip exactly.
        let loaded = try AcousticModel.load(path: directory.appendingPathComponent("model.safetensors").path)
        let stage = try loaded.inputStage()
        let decoder = GreedyDecoder(alphabet: loaded.config.alphabet)
        for entry in entries {
            let audio = try AudioFile.read(path: entry.audioPath, sampleRate: stage.sampleRate)
            let scores = loaded.logProbabilities(try stage.modelInput(samples: audio.samples))
            let text = decoder.decode(scores.values, frameCount: scores.frameCount, vocabularySize: scores.dimension)
                .text
            XCTAssertEqual(text, entry.normalizedTranscript)
        }
    }
}
