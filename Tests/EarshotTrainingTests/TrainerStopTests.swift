import Earshot
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// A stop requested before training begins (a signal while the features are computed) is obeyed at once:
/// the feature caches stop filling, `prepare` returns without checking or training anything, and no
/// checkpoint is written; a later `run` stops after its first batch with one checkpoint.
@Suite struct TrainerStopTests {
    @Test func aStopDuringPreparationComputesNothingMore() throws {
        try withTemporaryDirectory { directory in
            let (entries, _) = try TrainerAudioCheckTests.entries(in: directory)
            let trainer = try TrainerAudioCheckTests.trainer(entries, directory: directory)
            trainer.stopFlag.request()
            var events: [TrainingEvent] = []
            let problems = try trainer.prepare { events.append($0) }
            #expect(problems.isEmpty, "the clips with NaN and infinity were not looked at, so not reported")
            #expect(!events.contains { if case .preparing = $0 { true } else { false } }, "features were computed")
            #expect(!FileManager.default.fileExists(atPath: trainer.lastCheckpointPath))
        }
    }

    @Test func aStopRaisedBeforeFillingLeavesTheCacheEmpty() throws {
        let clips = OverfitTests.fixtures.appendingPathComponent("clips")
        let paths = ["yes", "no", "go_left"].map { clips.appendingPathComponent("\($0).wav").path }
        let model = try AcousticModel(config: OverfitTests.tinyConfig, seed: 1)
        let cache = FeatureCache(audioPaths: paths, speedFactors: [1], stage: try model.inputStage())
        let stop = StopFlag()
        stop.request()
        var calls = 0
        #expect(cache.fill(stop: stop) { _, _ in calls += 1 }.isEmpty)
        #expect(calls == 0)
        #expect(cache.fill { _, _ in calls += 1 }.isEmpty)
        #expect(calls == 3, "without the stop every clip is computed")
    }
}
