import EarshotTestSupport
import Foundation
import Testing

/// A process killed while it writes a checkpoint leaves its temporary file
/// (`.last.safetensors.<pid>.<n>.tmp`); the next `earshot train` on the same checkpoints, `--resume`
/// included, removes those whose process is gone, says so, and leaves a live process's alone.
@Suite struct StaleTemporaryFileCommandTests {
    static let timeout: TimeInterval = 300

    @Test func resumeRemovesTheTemporaryFilesOfDeadWriters() throws {
        try withTemporaryDirectory { directory in
            let clips = TrainCommandTests.clips
            let manifest = directory.appendingPathComponent("train.tsv").path
            let lines = ["yes", "no", "hello_world"].map {
                clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
            let model = directory.appendingPathComponent("m.safetensors").path
            let arguments = [
                "train", manifest, "-o", model, "--hidden-size", "8", "--layers", "1", "--mel-bins", "20",
                "--speed-factors", "1", "--epochs", "1", "--batch-size", "3",
            ]
            let first = try CommandRunner.run("earshot", arguments, timeout: Self.timeout)
            #expect(first.status == 0, "\(first.stderr)")

            let checkpoints = directory.appendingPathComponent("m.checkpoints")
            let dead = try deadProcessID()
            let stale = checkpoints.appendingPathComponent(".last.safetensors.\(dead).123456.tmp").path
            let staleModel = directory.appendingPathComponent(".m.safetensors.\(dead).42.tmp").path
            let live = checkpoints.appendingPathComponent(".last.safetensors.\(getpid()).7.tmp").path
            let unrelated = checkpoints.appendingPathComponent(".notes.txt.\(dead).1.tmp").path
            for path in [stale, staleModel, live, unrelated] {
                #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 4096)))
            }

            let resumed = try CommandRunner.run("earshot", arguments + ["--resume"], timeout: Self.timeout)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(!FileManager.default.fileExists(atPath: stale), "the stale checkpoint file is still there")
            #expect(!FileManager.default.fileExists(atPath: staleModel), "the stale model file is still there")
            #expect(FileManager.default.fileExists(atPath: live), "a live process's file was removed")
            #expect(FileManager.default.fileExists(atPath: unrelated), "a file of another name was removed")
            #expect(
                resumed.stderr.contains("removed \(stale), left by process \(dead), which is gone"), "\(resumed.stderr)"
            )
            #expect(resumed.stderr.contains("removed \(staleModel)"), "\(resumed.stderr)")
        }
    }
}
