import EarshotTestSupport
import Foundation
import Testing

/// Results that cannot be written to standard output are not lost silently. A failed write (a full disk:
/// `> /dev/full`) ends every command with one line, `earshot: cannot write to standard output: <cause>`,
/// and status 74 (EX_IOERR); a reader that goes away (`| head -c1`) ends it quietly, with status 141 as the
/// shell reports for a tool SIGPIPE ends (`stream`: 0, as for its other ways of ending), never a crash.
@Suite struct StandardOutputFailureCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips
    static let timeout: TimeInterval = 300

    /// Each command that writes results on standard output, with its standard input.
    static func command(_ name: String, in directory: URL) throws -> (arguments: [String], stdin: Data?) {
        let clip = clips.appendingPathComponent("go_left.wav")
        let manifest = directory.appendingPathComponent("test.tsv")
        let lines = ["yes", "no", "go_left"].map {
            clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
        switch name {
        case "features": return (["features", clip.path, "-o", "-"], nil)
        case "transcribe": return (["transcribe", clip.path, "--model", model], nil)
        case "eval": return (["eval", manifest.path, "--model", model], nil)
        case "eval --json": return (["eval", manifest.path, "--model", model, "--json"], nil)
        case "stream": return (["stream", "--model", model], try Data(contentsOf: clip))
        case "lm build":
            let text = directory.appendingPathComponent("text.txt")
            try "go left\nstop now\nyes no\n".write(to: text, atomically: true, encoding: .utf8)
            return (["lm", "build", text.path, "-o", "-"], nil)
        case "help": return (["transcribe", "--help"], nil)
        case "version": return (["--version"], nil)
        default:
            let output = directory.appendingPathComponent("m.safetensors").path
            return (
                [
                    "train", manifest.path, "-o", output, "--json", "--hidden-size", "8", "--layers", "1",
                    "--mel-bins", "20", "--speed-factors", "1", "--epochs", "1", "--batch-size", "3",
                ], nil
            )
        }
    }

    static let commands = ["features", "transcribe", "eval", "eval --json", "stream", "train --json", "lm build"]

    /// The commands, and the help and version texts (written through C's buffered `stdout`).
    @Test(arguments: commands + ["help", "version"])
    func aFullDiskIsAnErrorOfOneLine(_ name: String) throws {
        try withTemporaryDirectory { directory in
            let (arguments, stdin) = try Self.command(name, in: directory)
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let result = try CommandRunner.run(
                "earshot", arguments, stdin: stdin, timeout: Self.timeout, standardOutput: full)
            #expect(!result.timedOut && !result.crashed, "\(result.stderr)")
            #expect(result.status == 74, "\(result.stderr)")
            let errors = result.stderr.split(separator: "\n").filter { $0.contains("standard output") }
            #expect(errors == ["earshot: cannot write to standard output: No space left on device"], "\(result.stderr)")
        }
    }

    @Test(arguments: commands + ["help", "version"])
    func aClosedPipeEndsTheCommandQuietly(_ name: String) throws {
        try withTemporaryDirectory { directory in
            let (arguments, stdin) = try Self.command(name, in: directory)
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()  // a reader that has gone: writes fail with EPIPE
            let result = try CommandRunner.run(
                "earshot", arguments, stdin: stdin, timeout: Self.timeout, standardOutput: pipe.fileHandleForWriting)
            #expect(!result.timedOut && !result.crashed, "\(result.stderr)")
            #expect(result.status == (name == "stream" ? 0 : 141), "\(result.stderr)")
            #expect(!result.stderr.contains("standard output"), "\(result.stderr)")
        }
    }
}
