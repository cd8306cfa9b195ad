import Earshot
import EarshotAudio
import EarshotDecoding
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// The trainer decodes every clip once, for its features, and that is where the clips whose samples cannot
/// be used are found: all of them, each named with its manifest line, before the first step.
@Suite struct TrainerAudioCheckTests {
    /// The six fixture clips and two float clips with a NaN and an infinity (headers that pass every check),
    /// as validated entries of one manifest; the bad files by their manifest lines.
    static func entries(in directory: URL) throws -> (entries: [ManifestEntry], bad: [Int: String]) {
        let clips = OverfitTests.fixtures.appendingPathComponent("clips")
        var lines = ["yes", "no", "hello_world", "go_left", "stop_now", "open_the_door"].map {
            clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
        }
        let tone = (0..<8000).map { Float(0.2 * sin(Double($0) / 7)) }
        var nan = tone, infinite = tone
        nan[100] = .nan
        infinite[7999] = -.infinity
        var bad: [Int: String] = [:]
        for (name, samples) in [("nan.wav", nan), ("infinite.wav", infinite)] {
            let path = directory.appendingPathComponent(name).path
            try WAVBytes.float32(samples, sampleRate: 16000).write(to: URL(fileURLWithPath: path))
            lines.insert(path + "\tsome words", at: 3 * bad.count)
            bad[3 * bad.count + 1] = path
        }
        let path = directory.appendingPathComponent("train.tsv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let manifest = try Manifest.read(path: path)
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true)
        #expect(problems.isEmpty, "the headers are fine: \(problems)")
        return (valid, bad)
    }

    static func trainer(_ entries: [ManifestEntry], directory: URL) throws -> Trainer {
        var options = OverfitTests.tinyOptions
        options.epochs = 1
        return try Trainer(
            model: AcousticModel(config: OverfitTests.tinyConfig, seed: 1), training: entries, validation: entries,
            options: options, checkpointDirectory: directory.path, modelPath: nil, computeNormalizer: true)
    }

    @Test func prepareFindsEveryBadClipAndLeavesThemOut() throws {
        try withTemporaryDirectory { directory in
            let (entries, bad) = try Self.entries(in: directory)
            let trainer = try Self.trainer(entries, directory: directory)
            let problems = try trainer.prepare()
            #expect(problems.map(\.line) == bad.keys.sorted())
            #expect(problems.map(\.audioPath) == bad.keys.sorted().map { bad[$0] })
            #expect(problems[0].cause == "sample 100 is not a finite number (NaN or infinity)")
            #expect(problems[1].cause == "sample 7999 is not a finite number (NaN or infinity)")
            #expect(trainer.training.count == 6 && trainer.validation.count == 6)
            #expect(!trainer.training.contains { bad.values.contains($0.audioPath) })
            let state = try trainer.run()
            #expect(state.step == 1)
        }
    }

    /// Without `prepare`, `run` stops before the first step, listing every bad clip.
    @Test func runWithoutPrepareStopsListingEveryBadClip() throws {
        try withTemporaryDirectory { directory in
            let (entries, bad) = try Self.entries(in: directory)
            let trainer = try Self.trainer(entries, directory: directory)
            let error = try #require(throws: ManifestError.self) { try trainer.run() }
            guard case .invalidEntries(let problems) = error else { Issue.record("\(error)"); return }
            #expect(problems.map(\.line) == bad.keys.sorted())
            #expect(trainer.state.step == 0)
        }
    }

    /// A WAV whose `data` chunk promises more than the file holds is found from its header, before any
    /// audio is decoded, as `features` finds it.
    @Test func aTruncatedWAVIsFoundByTheHeaderCheck() throws {
        try withTemporaryDirectory { directory in
            let full = WAVBytes.pcm16((0..<8000).map { Float(sin(Double($0))) * 0.1 }, sampleRate: 16000)
            let audio = directory.appendingPathComponent("cut.wav").path
            try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: audio))
            let manifest = try ManifestReader.parse("\(audio)\thello\n", path: directory.path + "/m.tsv")
            let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true)
            #expect(valid.isEmpty)
            #expect(problems.count == 1)
            #expect(
                problems.first?.cause == "file is truncated: its header promises 8000 frames but it holds only 3989")
        }
    }
}
