import EarshotTestSupport
import Foundation
import Testing

/// `earshot train` decodes every clip once, before the first step, and reports every clip whose samples
/// cannot be trained on (NaN or infinite samples, a WAV cut off before the length its header gives), each
/// with its manifest line: all of them at once, before training; with `--skip-invalid`, all of them skipped
/// and named.
@Suite struct TrainAudioCheckCommandTests {
    static let timeout: TimeInterval = 300
    static let small = [
        "--hidden-size", "16", "--layers", "1", "--dropout", "0", "--mel-bins", "20", "--batch-size", "3",
        "--warmup-steps", "1", "--speed-factors", "1", "--patience", "0", "--epochs", "1",
    ]

    /// Writes the six fixture clips, two float clips with a NaN and an infinity, and a truncated WAV to a
    /// manifest; returns its path and the bad files by the manifest line that names them.
    static func manifest(in directory: URL) throws -> (path: String, bad: [Int: String]) {
        let clips = TrainCommandTests.clips
        var lines = ["yes", "no", "hello_world", "go_left", "stop_now", "open_the_door"].map {
            clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
        }
        let tone = (0..<8000).map { Float(0.2 * sin(Double($0) / 7)) }
        var nan = tone, infinite = tone
        nan[1234] = .nan
        infinite[4321] = .infinity
        let full = WAVBytes.pcm16(tone, sampleRate: 16000)
        let files: [(String, Data)] = [
            ("nan.wav", WAVBytes.float32(nan, sampleRate: 16000)),
            ("infinite.wav", WAVBytes.float32(infinite, sampleRate: 16000)),
            ("truncated.wav", full.prefix(full.count / 2)),
        ]
        var bad: [Int: String] = [:]
        for (name, data) in files {
            let path = directory.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            lines.insert(path + "\tsome words", at: 2 * bad.count + 1)
            bad[2 * bad.count + 2] = path
        }
        let manifest = directory.appendingPathComponent("train.tsv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        return (manifest, bad)
    }

    @Test func everyClipWithBadSamplesIsListedBeforeTraining() throws {
        try withTemporaryDirectory { directory in
            let (manifest, bad) = try Self.manifest(in: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let result = try CommandRunner.run(
                "earshot", ["train", manifest, "-o", model, "--json"] + Self.small, timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut)
            #expect(result.status == 1, "\(result.stderr)")
            for (line, path) in bad {
                #expect(result.stderr.contains("train.tsv:\(line): \(path): "), "line \(line): \(result.stderr)")
            }
            #expect(result.stderr.contains("sample 1234 is not a finite number"), "\(result.stderr)")
            #expect(result.stderr.contains("sample 4321 is not a finite number"), "\(result.stderr)")
            #expect(result.stderr.contains("file is truncated"), "\(result.stderr)")
            #expect(result.stdoutText.isEmpty, "no epoch may run: \(result.stdoutText)")
            #expect(!FileManager.default.fileExists(atPath: model))
        }
    }

    @Test func skipInvalidSkipsEveryOneAndSaysWhich() throws {
        try withTemporaryDirectory { directory in
            let (manifest, bad) = try Self.manifest(in: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let result = try CommandRunner.run(
                "earshot", ["train", manifest, "-o", model, "--skip-invalid"] + Self.small, timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("skipping 3 invalid lines of \(manifest)"), "\(result.stderr)")
            for (line, path) in bad {
                #expect(result.stderr.contains("train.tsv:\(line): \(path): "), "line \(line): \(result.stderr)")
            }
            #expect(FileManager.default.fileExists(atPath: model))
        }
    }
}
