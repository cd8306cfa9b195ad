import Earshot
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import XCTest

/// An interrupted run resumed from its checkpoint ends with exactly the weights of a run that was
/// never interrupted: weights, optimizer moments, step, batch position and every random draw resume.
final class ResumeTests: XCTestCase {
    private func options() -> TrainingOptions {
        var options = OverfitTests.tinyOptions
        options.epochs = 4
        options.batchSize = 2  // three batches an epoch
        // Every source of randomness on: speeds, VTLP warps, masks, dropout.
        options.speedFactors = [0.9, 1.0, 1.1]
        options.vocalTractPerturbation = .standard
        options.timeMasks = 1
        options.frequencyMasks = 1
        return options
    }

    private func config(cell: RecurrentCell = .lstm, peepholes: Bool = false) -> AcousticModelConfig {
        var config = OverfitTests.tinyConfig
        config.dropout = 0.2
        config.cell = cell
        config.peepholes = peepholes
        return config
    }

    /// The weights after a whole run of `options` on the tiny clips, from seed 5 (in a fresh checkpoint folder).
    private func trainedWeights(_ options: TrainingOptions) throws -> [[Float]] {
        let entries = try OverfitTests.tinyEntries()
        let trainer = try Trainer(
            model: AcousticModel(config: config(), seed: 5), training: entries, validation: entries,
            options: options, checkpointDirectory: try temporaryDirectory(self).path, modelPath: nil,
            computeNormalizer: true)
        try trainer.run()
        return trainer.model.parameters.map(\.value)
    }

    func testResumedRunEndsWithTheWeightsOfAnUninterruptedRun() throws {
        try assertResumingChangesNothing(options())
    }

    /// The same for the GRU and the peephole LSTM (their parameters, the peepholes included, go through the
    /// optimizer and the checkpoint like the LSTM's), with half the batches latency-controlled.
    func testResumedRunsOfTheOtherCellsEndWithTheWeightsOfUninterruptedRuns() throws {
        var chunked = options()
        chunked.epochs = 2
        chunked.chunkedTraining = .init(control: LatencyControl(chunkSteps: 4, lookaheadSteps: 2), share: 0.5)
        try assertResumingChangesNothing(chunked, config: config(cell: .gru))
        try assertResumingChangesNothing(chunked, config: config(peepholes: true))
    }

    /// The same with half the batches latency-controlled: which batches are chunked is drawn per step,
    /// and the choice resumes too.
    func testResumedChunkedRunEndsWithTheWeightsOfAnUninterruptedRun() throws {
        var chunked = options()
        chunked.chunkedTraining = .init(control: LatencyControl(chunkSteps: 4, lookaheadSteps: 2), share: 0.5)
        try assertResumingChangesNothing(chunked)
        // And the option is used: the weights differ from whole-utterance training.
        XCTAssertNotEqual(try trainedWeights(chunked), try trainedWeights(options()))
    }

    /// VTLP (on in `options()`) draws its warp per utterance and step from the step's generator: it
    /// resumes exactly (above), and it is used — the weights differ from training without it.
    func testVocalTractPerturbationChangesTraining() throws {
        var without = options()
        without.vocalTractPerturbation = nil
        var short = options()
        short.epochs = 1
        without.epochs = 1
        XCTAssertNotEqual(try trainedWeights(short), try trainedWeights(without))
        // The option is stored in checkpoints with the others.
        let path = try temporaryDirectory(self).appendingPathComponent("c.safetensors").path
        var wide = options()
        wide.vocalTractPerturbation = try VocalTractPerturbation(minimumFactor: 0.8, maximumFactor: 1.2)
        try Checkpoint(
            model: AcousticModel(config: config(), seed: 1), optimizer: Adam(), state: TrainingState(),
            options: wide
        ).write(to: path)
        XCTAssertEqual(try Checkpoint.read(path: path).options.vocalTractPerturbation, wide.vocalTractPerturbation)
    }

    private func assertResumingChangesNothing(_ options: TrainingOptions, config: AcousticModelConfig? = nil) throws {
        let config = config ?? self.config()
        let entries = try OverfitTests.tinyEntries()
        let straight = try temporaryDirectory(self), interrupted = try temporaryDirectory(self)

        let reference = try AcousticModel(config: config, seed: 5)
        let uninterrupted = try Trainer(
            model: reference, training: entries, validation: entries, options: options,
            checkpointDirectory: straight.path, modelPath: nil, computeNormalizer: true)
        try uninterrupted.run()
        XCTAssertEqual(uninterrupted.state.step, 3 * options.epochs)
        XCTAssertEqual(uninterrupted.model.config, config)

        // The same run, stopped in the middle of the second epoch (after its first batch).
        let first = try Trainer(
            model: AcousticModel(config: config, seed: 5), training: entries, validation: entries,
            options: options, checkpointDirectory: interrupted.path, modelPath: nil, computeNormalizer: true)
        var stoppedAt: (epoch: Int, batch: Int)?
        try first.run { event in
            if case .batch(let epoch, let batch, _, _, _, _) = event, epoch == 1, batch == 0 {
                first.stopFlag.request()
                stoppedAt = (epoch, batch)
            }
        }
        XCTAssertEqual(stoppedAt?.epoch, 1)
        XCTAssertEqual(first.state.step, 4)
        XCTAssertEqual(first.state.batchInEpoch, 1)

        // A new process would start here: everything comes from the checkpoint file.
        let checkpoint = try Checkpoint.read(path: first.lastCheckpointPath)
        XCTAssertEqual(checkpoint.state.step, 4)
        let resumed = try Trainer(
            model: checkpoint.model, training: entries, validation: entries, options: checkpoint.options,
            checkpointDirectory: interrupted.path, modelPath: nil, resumingFrom: checkpoint, computeNormalizer: true)
        try resumed.run()
        XCTAssertEqual(resumed.state.step, 3 * options.epochs)
        XCTAssertEqual(checkpoint.model.config, config)
        XCTAssertTrue(resumed.state.finished)

        XCTAssertEqual(checkpoint.model.normalizer, uninterrupted.model.normalizer)
        for (a, b) in zip(resumed.model.parameters, reference.parameters) {
            XCTAssertEqual(a.name, b.name)
            XCTAssertEqual(a.value, b.value, "\(a.name) differs after resuming")
        }
        XCTAssertEqual(resumed.state.history.map(\.validationCER), uninterrupted.state.history.map(\.validationCER))
    }

    func testCheckpointWritesAreAtomicAndCorruptCheckpointsAreReported() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("ckpt.safetensors").path
        let model = try AcousticModel(config: config(), seed: 1)
        let checkpoint = Checkpoint(model: model, optimizer: Adam(), state: TrainingState(), options: options())
        try checkpoint.write(to: path)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: directory.path), ["ckpt.safetensors"],
            "no temporary file is left behind")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Checkpoint.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
        // A model file is not a checkpoint.
        try model.write(to: path)
        XCTAssertThrowsError(try Checkpoint.read(path: path)) {
            XCTAssertTrue("\($0)".contains("not a training checkpoint"), "\($0)")
        }
    }
}
