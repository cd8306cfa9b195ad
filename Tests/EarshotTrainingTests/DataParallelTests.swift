import Earshot
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// Data-parallel training without MPI: 2 and 3 members of a `ThreadGroup` (threads of this process) train to
/// the weights one trainer reaches with the same global batch, with every augmentation and dropout on; only
/// rank 0 writes checkpoints. (The same under `mpirun`: `MPICommandTests` in EarshotCLITests.)
@Suite struct DataParallelTests {
    static var options: TrainingOptions {
        var options = OverfitTests.tinyOptions
        options.epochs = 2
        options.batchSize = 3  // two steps an epoch, split 2 + 1 or 1 + 1 + 1
        options.speedFactors = [0.9, 1.0, 1.1]
        options.vocalTractPerturbation = .standard
        options.timeMasks = 1
        options.frequencyMasks = 1
        return options
    }

    /// The trained weights of a group of `size` (each member its own trainer on its own thread), and whether
    /// each member wrote a checkpoint.
    static func train(members size: Int, in folder: URL) throws -> (weights: [[Float]], wroteCheckpoint: [Bool]) {
        var config = OverfitTests.tinyConfig
        config.dropout = 0.2
        let entries = try OverfitTests.tinyEntries()
        let members = ThreadGroup.members(size)
        let trainers = try members.map { member in
            try Trainer(
                model: AcousticModel(config: config, seed: 5), training: entries, validation: entries,
                options: options, checkpointDirectory: folder.appendingPathComponent("rank\(member.rank)").path,
                modelPath: nil, computeNormalizer: true, group: member)
        }
        // One thread per member (a thread pool of fewer threads than members would leave one waiting for a
        // collective the others cannot finish without it).
        nonisolated(unsafe) let running = trainers
        nonisolated(unsafe) var errors: [Error?] = Array(repeating: nil, count: size)
        let lock = NSLock(), done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            Thread {
                do {
                    try running[rank].run()
                } catch {
                    lock.withLock { errors[rank] = error }
                }
                done.leave()
            }.start()
        }
        done.wait()
        if let error = errors.compactMap({ $0 }).first { throw error }
        for trainer in trainers.dropFirst() {
            #expect(trainer.model.parameters.map(\.value) == trainers[0].model.parameters.map(\.value))
        }
        return (
            trainers[0].model.parameters.map(\.value),
            trainers.map { FileManager.default.fileExists(atPath: $0.lastCheckpointPath) }
        )
    }

    /// After 4 steps the largest difference is float rounding of the gradient sums' order (measured
    /// 1.2e-7 and 1.6e-7 here); 1e-4 allows other BLAS kernels. Every member ends with the same weights.
    @Test(arguments: [2, 3]) func membersEndWithTheWeightsOfOneTrainer(size: Int) throws {
        try withTemporaryDirectory { folder in
            let (one, _) = try Self.train(members: 1, in: folder.appendingPathComponent("one"))
            let (group, wrote) = try Self.train(members: size, in: folder.appendingPathComponent("group"))
            let largest = zip(one, group).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
            print("1 trainer vs \(size) members: largest weight difference \(largest)")
            #expect(largest <= 1e-4)
            #expect(wrote == [true] + Array(repeating: false, count: size - 1))
        }
    }
}
