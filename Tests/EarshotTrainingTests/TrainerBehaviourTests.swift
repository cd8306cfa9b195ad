import Earshot
import EarshotDecoding
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import XCTest

final class TrainerBehaviourTests: XCTestCase {
    private func trainer(_ options: TrainingOptions, directory: URL, seed: UInt64 = 2) throws -> Trainer {
        let entries = try OverfitTests.tinyEntries()
        return try Trainer(
            model: AcousticModel(config: OverfitTests.tinyConfig, seed: seed), training: entries, validation: entries,
            options: options, checkpointDirectory: directory.path, modelPath: nil, computeNormalizer: true)
    }

    /// A NaN in the network makes every loss NaN: each such batch is skipped and counted, and no update
    /// reaches the weights (nothing else turns NaN).
    func testNonFiniteBatchesAreSkippedAndCounted() throws {
        var options = OverfitTests.tinyOptions
        options.epochs = 2
        options.batchSize = 3
        let trainer = try trainer(options, directory: try temporaryDirectory(self))
        trainer.model.output.bias.value[5] = .nan
        let before = trainer.model.parameters.map(\.value)
        var skippedEvents = 0
        try trainer.run { if case .skippedBatch = $0 { skippedEvents += 1 } }
        XCTAssertEqual(trainer.state.skippedNonFiniteBatches, 4)  // 2 batches × 2 epochs
        XCTAssertEqual(skippedEvents, 4)
        XCTAssertEqual(trainer.state.step, 0)
        for (p, old) in zip(trainer.model.parameters, before) where p.name != "output.bias" {
            XCTAssertEqual(p.value, old, "\(p.name) changed")
        }
    }

    /// With nothing learned (learning rate ~0) the CER cannot improve: training stops after `patience`
    /// epochs without improvement.
    func testEarlyStoppingAfterPatienceEpochs() throws {
        var options = OverfitTests.tinyOptions
        options.epochs = 50
        options.learningRate = 1e-30
        options.patience = 2
        let trainer = try trainer(options, directory: try temporaryDirectory(self))
        var stoppedAfter: Int?
        try trainer.run { if case .earlyStop(let epoch) = $0 { stoppedAfter = epoch } }
        XCTAssertEqual(stoppedAfter, 2)
        XCTAssertEqual(trainer.state.history.count, 3)
        XCTAssertTrue(trainer.state.finished)
    }

    /// A transcript that cannot fit its frames is left out of the batch and counted, not silently
    /// trained on as loss 0.
    func testUtterancesTooShortForTheirTranscriptAreCounted() throws {
        var entries = try OverfitTests.tinyEntries()
        let alphabet = Alphabet.english
        let long = String(repeating: "abc ", count: 40)
        entries[0].normalizedTranscript = long
        entries[0].labels = alphabet.encode(long)!
        var options = OverfitTests.tinyOptions
        options.epochs = 2
        let trainer = try Trainer(
            model: AcousticModel(config: OverfitTests.tinyConfig, seed: 1), training: entries, validation: entries,
            options: options, checkpointDirectory: try temporaryDirectory(self).path, modelPath: nil,
            computeNormalizer: true)
        try trainer.run()
        XCTAssertEqual(trainer.state.skippedImpossibleUtterances, 2)  // once per epoch
    }

    /// A model with per-utterance mean normalisation trains (finite losses, steps taken), keeps the
    /// training set's global statistics for the variance and the streaming prior, and is written with its mode.
    func testTrainingWithUtteranceMeanNormalization() throws {
        let directory = try temporaryDirectory(self)
        var config = OverfitTests.tinyConfig
        config.normalization = .utteranceMean
        var options = OverfitTests.tinyOptions
        options.epochs = 2
        let entries = try OverfitTests.tinyEntries()
        let modelPath = directory.appendingPathComponent("m.safetensors").path
        let trainer = try Trainer(
            model: AcousticModel(config: config, seed: 2), training: entries, validation: entries, options: options,
            checkpointDirectory: directory.path, modelPath: modelPath, computeNormalizer: true)
        var losses: [Double] = []
        try trainer.run { if case .epoch(let summary, _) = $0 { losses.append(summary.trainingLoss) } }
        XCTAssertEqual(trainer.state.step, 2)  // 6 clips in one batch, 2 epochs
        XCTAssertEqual(losses.count, 2)
        XCTAssertTrue(losses.allSatisfy(\.isFinite), "\(losses)")
        XCTAssertNotEqual(trainer.model.normalizer, FeatureNormalizer(dimension: config.features.dimension))
        let written = try AcousticModel.load(path: modelPath)
        XCTAssertEqual(written.config.normalization, .utteranceMean)
        XCTAssertEqual(written.normalizer, trainer.model.normalizer)
    }

    func testFrozenLayersDoNotChange() throws {
        let directory = try temporaryDirectory(self)
        var options = OverfitTests.tinyOptions
        options.epochs = 2
        options.frozenLayers = 1
        let trainer = try trainer(options, directory: directory)
        let before = trainer.model.encoder.layers.map { ($0.forward.parameters + $0.reverse.parameters).map(\.value) }
        try trainer.run()
        let after = trainer.model.encoder.layers.map { ($0.forward.parameters + $0.reverse.parameters).map(\.value) }
        XCTAssertEqual(after[0], before[0], "layer 0 is frozen")
        XCTAssertNotEqual(after[1], before[1], "layer 1 trains")
    }
}
