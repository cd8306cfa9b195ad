import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// `TrainingHistory.read`: the epochs of a run from the JSON lines of `earshot train --json` (a checkpoint's
/// history is read by `EarshotCLITests.PlotCommandTests` from a real run), and each way it can fail.
@Suite struct TrainingHistoryTests {
    @Test func readsTheJSONLinesOfTrainJSON() throws {
        try withTemporaryDirectory { folder in
            let path = folder.appendingPathComponent("train.jsonl").path
            try Data(
                """
                {"best":true,"cer":0.5,"epoch":1,"learning_rate":0.0012,"loss":58.1,"seconds":3.5,"skipped_batches":0,"wer":0.9}
                {"best":false,"cer":0.625,"epoch":2,"loss":40,"seconds":3,"wer":1}
                {"best":false,"cer":0.625,"epoch":3,"learning_rate":0.001,"loss":null,"seconds":1,"skipped_batches":4,"wer":1}

                """.utf8
            ).write(to: URL(fileURLWithPath: path))
            var epochs = try TrainingHistory.read(path: path)
            // The third: every batch skipped, so no loss (NaN, which equals nothing; compared apart).
            let third = epochs.removeLast()
            #expect(third.trainingLoss.isNaN && third.skippedBatches == 4 && third.learningRate == 0.001)
            #expect(
                epochs == [
                    EpochSummary(
                        epoch: 0, trainingLoss: 58.1, validationCER: 0.5, validationWER: 0.9, seconds: 3.5,
                        learningRate: 0.0012, skippedBatches: 0),
                    // An older run's line, without learning rate and skipped batches.
                    EpochSummary(epoch: 1, trainingLoss: 40, validationCER: 0.625, validationWER: 1, seconds: 3),
                ])
        }
    }

    /// A checkpoint written before epochs kept their learning rate and skipped batches still reads.
    @Test func olderCheckpointsEpochsDecodeWithoutTheNewFields() throws {
        let old = #"{"epoch":3,"trainingLoss":12.5,"validationCER":0.25,"validationWER":0.5,"seconds":40}"#
        let epoch = try JSONDecoder().decode(EpochSummary.self, from: Data(old.utf8))
        #expect(
            epoch == EpochSummary(epoch: 3, trainingLoss: 12.5, validationCER: 0.25, validationWER: 0.5, seconds: 40))
        #expect(epoch.learningRate == nil && epoch.skippedBatches == nil)
    }

    @Test func eachProblemNamesThePathAndTheCause() throws {
        try withTemporaryDirectory { folder in
            func failure(_ name: String, contents: String?) throws -> String {
                let path = folder.appendingPathComponent(name).path
                if let contents { try Data(contents.utf8).write(to: URL(fileURLWithPath: path)) }
                let error = try #require(throws: TrainingHistoryError.self) { try TrainingHistory.read(path: path) }
                #expect(error.path == path)
                return error.cause
            }
            #expect(try failure("missing", contents: nil) == "no such file or folder")
            #expect(try failure("empty.jsonl", contents: "\n") == "no training history: no epoch has finished yet")
            #expect(
                try failure("log.txt", contents: "{\"epoch\": 1, \"loss\": 2, \"cer\": 0.1, \"wer\": 0.2}\nepoch 2\n")
                    == "line 2 is not an epoch of 'earshot train --json' (an object with epoch, loss, cer, wer)")
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("run"), withIntermediateDirectories: false)
            #expect(
                try failure("run", contents: nil)
                    == "no training history: no last.safetensors in it (a checkpoint folder of 'earshot train')")
        }
    }
}
