import Earshot
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// `earshot train` killed with SIGKILL (as by the OOM killer or a power cut) and resumed, three times: as a
/// checkpoint write begins, at random after an epoch, and as a checkpoint write begins again. After each kill
/// every model and checkpoint file on disk is complete and loads; the resumed run removes the temporary file
/// the killed one left; the run ends with exactly the weights of an uninterrupted one.
/// Scripts/faults/kill_resume.py does the same with 20 kills on a larger model.
@Suite struct KillResumeCommandTests {
    static let timeout: TimeInterval = 300

    static let arguments = [
        "--hidden-size", "16", "--layers", "1", "--mel-bins", "20", "--batch-size", "3", "--learning-rate",
        "0.003", "--warmup-steps", "5", "--speed-factors", "0.9", "1", "1.1", "--patience", "0", "--epochs", "30",
        "--json",
    ]

    /// The files of one run in `folder`: the model and the two checkpoints.
    struct Run {
        let folder: URL
        var model: URL { folder.appendingPathComponent("m.safetensors") }
        var checkpoints: URL { folder.appendingPathComponent("m.checkpoints") }
        var last: URL { checkpoints.appendingPathComponent("last.safetensors") }
        var best: URL { checkpoints.appendingPathComponent("best.safetensors") }

        func command(_ manifest: URL, resume: Bool) -> [String] {
            ["train", manifest.path, "-o", model.path] + KillResumeCommandTests.arguments + (resume ? ["--resume"] : [])
        }

        /// The temporary files of writes in the folder and the checkpoint folder.
        var temporaryFiles: [URL] {
            [folder, checkpoints].flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                    .filter { $0.hasSuffix(".tmp") }.map { folder.appendingPathComponent($0) }
            }
        }

        func exists(_ file: URL) -> Bool { FileManager.default.fileExists(atPath: file.path) }
    }

    /// Every model and checkpoint file of `run` that exists is complete and loads.
    static func expectComplete(_ run: Run, after kill: Int) {
        if run.exists(run.model) {
            #expect(throws: Never.self, "kill \(kill): the model") { try AcousticModel.load(path: run.model.path) }
        }
        for checkpoint in [run.last, run.best] where run.exists(checkpoint) {
            #expect(throws: Never.self, "kill \(kill): \(checkpoint.lastPathComponent)") {
                try Checkpoint.read(path: checkpoint.path)
            }
        }
    }

    @Test func threeKillsAndResumesEndWithTheUninterruptedWeights() throws {
        try withTemporaryDirectory { directory in
            let manifest = directory.appendingPathComponent("train.tsv")
            let fixtures = TrainCommandTests.clips.deletingLastPathComponent()
            let lines = try String(contentsOf: fixtures.appendingPathComponent("tiny.tsv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { line in
                    fixtures.appendingPathComponent(String(line.split(separator: "\t")[0])).path + "\t"
                        + line.split(separator: "\t")[1]
                }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            let reference = Run(folder: directory.appendingPathComponent("reference"))
            let killed = Run(folder: directory.appendingPathComponent("killed"))
            for run in [reference, killed] {
                try FileManager.default.createDirectory(at: run.folder, withIntermediateDirectories: true)
            }
            let uninterrupted = try CommandRunner.run(
                "earshot", reference.command(manifest, resume: false), timeout: Self.timeout)
            try #require(uninterrupted.status == 0, "\(uninterrupted.stderr)")

            // The moments: a write of the last checkpoint begins; the second epoch's line; a write begins again.
            let moments: [(RunningCommand) -> Bool] = [
                { _ in killed.temporaryFiles.contains { $0.lastPathComponent.hasPrefix(".last.safetensors.") } },
                { $0.stdoutText.split(separator: "\n").count >= 2 },
                { _ in !killed.temporaryFiles.isEmpty },
            ]
            var command = try RunningCommand("earshot", killed.command(manifest, resume: false))
            for (kill, moment) in moments.enumerated() {
                let reached = command.wait(upTo: Self.timeout, every: 0, until: { moment(command) })
                try #require(reached && command.isRunning, "kill \(kill + 1): the run ended: \(command.stderrText)")
                command.send(SIGKILL)
                let ended = command.finish(timeout: Self.timeout)
                #expect(ended.crashed && ended.status == SIGKILL)
                Self.expectComplete(killed, after: kill + 1)
                let left = killed.temporaryFiles
                command = try RunningCommand("earshot", killed.command(manifest, resume: killed.exists(killed.last)))
                let removed = command.wait(upTo: Self.timeout) { left.allSatisfy { !killed.exists($0) } }
                #expect(removed, "kill \(kill + 1): \(left.map(\.lastPathComponent)) left in place")
            }
            let finished = command.finish(timeout: Self.timeout)
            #expect(finished.status == 0 && !finished.crashed, "\(finished.stderr)")
            #expect(killed.temporaryFiles.isEmpty)
            Self.expectComplete(killed, after: 3)

            #expect(try Data(contentsOf: killed.model) == Data(contentsOf: reference.model), "the model differs")
            for (mine, theirs) in [(killed.last, reference.last), (killed.best, reference.best)] {
                let a = try SafeTensors.read(path: mine.path).tensors
                let b = try SafeTensors.read(path: theirs.path).tensors
                #expect(a == b, "\(mine.lastPathComponent): the weights or optimizer state differ")
            }
        }
    }
}
