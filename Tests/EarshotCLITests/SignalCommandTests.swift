import Earshot
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// SIGINT (Ctrl-C) and SIGTERM in every long-running command. `transcribe`, `eval`, `features` and
/// `lm build` end promptly, by the signal itself (the shell's 130 / 143), leaving each output complete or
/// absent and no temporary file; `stream` prints its last utterance and exits 0; `train` stops with one
/// checkpoint and exits 130 / 143 (`TrainCommandTests`), or at once, without a partial file, at a second
/// signal or before training has begun.
@Suite struct SignalCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips
    /// Seconds a command has, after the signal, to end: it should take a fraction of one.
    static let promptly: TimeInterval = 10
    static let names = ["yes", "no", "go_left"]

    static func clip(_ name: String) -> URL { clips.appendingPathComponent("\(name).wav") }

    /// The names in `folder` of temporary files `AtomicFile` writes (`.<name>.<pid>.<n>.tmp`).
    static func temporaryFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    /// Starts `arguments`, waits until `ready` holds (the command is at work), sends `signal`, and returns how
    /// it ended; the command must still have been running when the signal went.
    static func interrupt(
        _ arguments: [String], with signal: Int32, stdin: FileHandle? = nil, readyWithin: TimeInterval = 120,
        when ready: (RunningCommand) -> Bool
    ) throws -> CommandResult {
        let command = try RunningCommand("earshot", arguments, stdin: stdin)
        let isReady = command.wait(upTo: readyWithin) { ready(command) }
        try #require(isReady && command.isRunning, "the command ended or never got to work: \(command.stderrText)")
        command.send(signal)
        let result = command.finish(timeout: promptly)
        #expect(!result.timedOut, "still running \(promptly) s after the signal: \(result.stderr)")
        return result
    }

    /// True when the process ended by `signal` itself.
    static func endedBy(_ signal: Int32, _ result: CommandResult) -> Bool {
        result.crashed && result.status == signal
    }

    /// A folder of `count` links to one WAV of `seconds` of a tone.
    static func longFiles(_ count: Int, seconds: Int, in directory: URL) throws -> URL {
        let long = directory.appendingPathComponent("long.wav")
        let samples = (0..<(16000 * seconds)).map { Float(0.3 * sin(Double($0) / 10)) }
        try WAVBytes.pcm16(samples, sampleRate: 16000).write(to: long)
        let folder = directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<count {
            try FileManager.default.createSymbolicLink(
                at: folder.appendingPathComponent(String(format: "%03d.wav", i)), withDestinationURL: long)
        }
        return folder
    }

    /// `transcribe` of many files into `--output-dir`: ends by the signal; nothing partial is written.
    @Test(arguments: [SIGINT, SIGTERM])
    func transcribeOfManyFilesEnds(_ signal: Int32) throws {
        try withTemporaryDirectory { directory in
            let inputs = try Self.longFiles(20, seconds: 300, in: directory)
            let output = directory.appendingPathComponent("out")
            let started = Date()
            let result = try Self.interrupt(
                ["transcribe", inputs.path, "--model", Self.model, "--output-dir", output.path], with: signal
            ) { _ in Date().timeIntervalSince(started) > 1 }
            #expect(Self.endedBy(signal, result), "status \(result.status): \(result.stderr)")
            #expect(Self.temporaryFiles(in: output).isEmpty)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [] {
                let text = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
                #expect(text.hasSuffix("\n"), "\(name) is incomplete: '\(text)'")
            }
        }
    }

    /// `eval` of long clips: the signal comes after the first clip's line.
    @Test(arguments: [SIGINT, SIGTERM])
    func evalEnds(_ signal: Int32) throws {
        try withTemporaryDirectory { directory in
            let inputs = try Self.longFiles(50, seconds: 300, in: directory)
            let manifest = directory.appendingPathComponent("test.tsv")
            let lines = try FileManager.default.contentsOfDirectory(atPath: inputs.path).map {
                inputs.appendingPathComponent($0).path + "\tsome words"
            }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            let result = try Self.interrupt(["eval", manifest.path, "--model", Self.model, "--json"], with: signal) {
                $0.stdoutText.contains("\n")
            }
            #expect(Self.endedBy(signal, result), "status \(result.status): \(result.stderr)")
        }
    }

    /// `features` of standard input that does not end: the output is never written, nor left half-written.
    @Test(arguments: [SIGINT, SIGTERM])
    func featuresOfALongInputEnds(_ signal: Int32) throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.npy")
            let input = Pipe()
            let second = FeaturesLimitCommandTests.oneSecond
            try input.fileHandleForWriting.write(contentsOf: second + second)  // the rest never comes
            let started = Date()
            let result = try Self.interrupt(
                ["features", "-", "--raw", "--rate", "16000", "-o", output.path], with: signal,
                stdin: input.fileHandleForReading
            ) { _ in Date().timeIntervalSince(started) > 1 }
            try input.fileHandleForWriting.close()
            #expect(Self.endedBy(signal, result), "status \(result.status): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
            #expect(Self.temporaryFiles(in: directory).isEmpty)
        }
    }

    /// The signal arrives while `features` writes its output (a long text file, written piece by piece):
    /// the temporary file is removed and no output appears.
    @Test(arguments: [SIGINT, SIGTERM])
    func featuresEndsWithoutAPartialFileWhileWriting(_ signal: Int32) throws {
        try withTemporaryDirectory { directory in
            let samples = (0..<(16000 * 120)).map { Float(0.3 * sin(Double($0) / 10)) }
            let long = directory.appendingPathComponent("long.wav")
            try WAVBytes.pcm16(samples, sampleRate: 16000).write(to: long)
            let output = directory.appendingPathComponent("long.txt")
            let result = try Self.interrupt(
                ["features", long.path, "--format", "txt", "-o", output.path], with: signal
            ) { _ in !Self.temporaryFiles(in: directory).isEmpty }
            #expect(Self.endedBy(signal, result), "status \(result.status): \(result.stderr)")
            #expect(Self.temporaryFiles(in: directory).isEmpty, "the temporary file is left")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func languageModelBuildOfABigTextEnds(_ signal: Int32) throws {
        try withTemporaryDirectory { directory in
            let words = ["go", "left", "stop", "now", "open", "the", "door", "yes", "no", "hello", "world"]
            var generator = SeededGenerator(seed: 3)
            let lines = (0..<300_000).map { _ in
                (0..<8).map { _ in words[Int.random(in: 0..<words.count, using: &generator)] }.joined(separator: " ")
            }
            let text = directory.appendingPathComponent("text.txt")
            try (lines.joined(separator: "\n") + "\n").write(to: text, atomically: true, encoding: .utf8)
            let output = directory.appendingPathComponent("lm.arpa")
            let started = Date()
            let result = try Self.interrupt(["lm", "build", text.path, "-o", output.path], with: signal) { _ in
                Date().timeIntervalSince(started) > 1
            }
            #expect(Self.endedBy(signal, result), "status \(result.status): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
            #expect(Self.temporaryFiles(in: directory).isEmpty)
        }
    }

    /// `stream` while audio is still arriving: SIGTERM, like SIGINT, prints the last utterance and exits 0.
    @Test func streamEndsWithItsLastUtteranceAtSIGTERM() throws {
        let input = Pipe()
        let wav = try Data(contentsOf: Self.clip("go_left"))
        try input.fileHandleForWriting.write(contentsOf: wav.dropFirst(44))  // raw, and more may come
        let started = Date()
        let result = try Self.interrupt(
            ["stream", "--model", Self.model, "--format", "raw", "--json"], with: SIGTERM,
            stdin: input.fileHandleForReading
        ) { _ in Date().timeIntervalSince(started) > 2 }
        try input.fileHandleForWriting.close()
        #expect(!result.crashed && result.status == 0, "status \(result.status): \(result.stderr)")
        #expect(result.stdoutText.contains("\"type\":\"final\""), "\(result.stdoutText)")
    }

    /// `train` given a signal at any moment ends promptly: by the signal before it has its data, with 130
    /// after (having written a checkpoint once training has begun); every model and checkpoint file there is
    /// complete, and no temporary file is left. A second signal ends it at once, equally cleanly.
    @Test(arguments: [0.2, 0.8, 2.5], [1, 2])
    func trainEndsCleanlyAtAnyMoment(after seconds: Double, signals: Int) throws {
        try withTemporaryDirectory { directory in
            let manifest = directory.appendingPathComponent("train.tsv")
            let lines = (0..<30).map { i -> String in
                let name = Self.names[i % Self.names.count]
                return Self.clip(name).path + "\t" + name.replacingOccurrences(of: "_", with: " ")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            let model = directory.appendingPathComponent("m.safetensors")
            let command = try RunningCommand(
                "earshot",
                [
                    "train", manifest.path, "-o", model.path, "--hidden-size", "16", "--layers", "1", "--mel-bins",
                    "20", "--speed-factors", "0.9", "1", "1.1", "--epochs", "1000", "--patience", "0", "--batch-size",
                    "3", "--quiet",
                ])
            _ = command.wait(upTo: seconds) { false }
            try #require(command.isRunning, "train ended by itself: \(command.stderrText)")
            for _ in 0..<signals {
                command.send(SIGINT)
                usleep(20_000)
            }
            let result = command.finish(timeout: Self.promptly + 10)
            #expect(!result.timedOut, "\(result.stderr)")
            #expect(
                Self.endedBy(SIGINT, result) || (!result.crashed && result.status == 130),
                "status \(result.status), signal: \(result.crashed): \(result.stderr)")
            let checkpoints = directory.appendingPathComponent("m.checkpoints")
            #expect(Self.temporaryFiles(in: directory).isEmpty && Self.temporaryFiles(in: checkpoints).isEmpty)
            if FileManager.default.fileExists(atPath: model.path) {
                #expect(throws: Never.self) { try AcousticModel.load(path: model.path) }
            }
            for name in ["last.safetensors", "best.safetensors"] {
                let path = checkpoints.appendingPathComponent(name).path
                guard FileManager.default.fileExists(atPath: path) else { continue }
                #expect(throws: Never.self) { try Checkpoint.read(path: path) }
            }
        }
    }
}
