import EarshotTestSupport
import Foundation
import Testing

/// An output that cannot be written, or an input that is a folder, is one line naming the path and the
/// system's reason (never a Foundation error dump such as "NSCocoaErrorDomain error 512"), and
/// `transcribe --output-dir` reports every file it could not write while writing the others.
@Suite struct FileErrorMessageCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips
    static let names = ["yes", "no", "go_left"]
    static let timeout: TimeInterval = 120

    static func clip(_ name: String) -> String { clips.appendingPathComponent("\(name).wav").path }

    /// `earshot transcribe` of the three clips into `folder`.
    static func transcribe(into folder: URL) throws -> CommandResult {
        try CommandRunner.run(
            "earshot", ["transcribe"] + names.map(clip) + ["--model", model, "--output-dir", folder.path],
            timeout: timeout)
    }

    /// Lines of standard error that mention `text`.
    static func lines(_ result: CommandResult, mentioning text: String) -> [Substring] {
        result.stderr.split(separator: "\n").filter { $0.contains(text) }
    }

    @Test(.enabled(if: TemporaryMount.isPermitted, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
    func transcribeReportsEveryFileAReadOnlyDiskRefuses() throws {
        try TemporaryMount.withTmpfs(bytes: 65_536, readOnly: true) { folder in
            let result = try Self.transcribe(into: folder)
            #expect(result.status == 1, "\(result.stderr)")
            for name in Self.names {
                let path = folder.appendingPathComponent("\(name).txt").path
                #expect(
                    Self.lines(result, mentioning: path)
                        == ["earshot: \(path): create temporary file failed: Read-only file system"],
                    "\(result.stderr)")
            }
            #expect(!result.stderr.contains("Domain"), "\(result.stderr)")
        }
    }

    @Test(.enabled(if: TemporaryMount.isPermitted, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
    func transcribeReportsEveryFileAFullDiskRefuses() throws {
        try TemporaryMount.withTmpfs(bytes: 65_536) { folder in
            TemporaryMount.fill(folder)
            let result = try Self.transcribe(into: folder)
            #expect(result.status == 1, "\(result.stderr)")
            for name in Self.names {
                let path = folder.appendingPathComponent("\(name).txt").path
                let lines = Self.lines(result, mentioning: path)
                #expect(lines.count == 1 && lines[0].hasSuffix(": No space left on device"), "\(result.stderr)")
            }
            #expect(!result.stderr.contains("Domain"), "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["filler"])
        }
    }

    /// `train` makes its checkpoint folder beside `-o`: on a read-only disk that is one line too.
    @Test(.enabled(if: TemporaryMount.isPermitted, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
    func trainOnAReadOnlyDiskIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let manifest = directory.appendingPathComponent("train.tsv")
            let lines = Self.names.map { Self.clip($0) + "\t" + $0.replacingOccurrences(of: "_", with: " ") }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            try TemporaryMount.withTmpfs(bytes: 65_536, readOnly: true) { folder in
                let result = try CommandRunner.run(
                    "earshot",
                    [
                        "train", manifest.path, "-o", folder.appendingPathComponent("m.safetensors").path,
                        "--hidden-size", "8", "--layers", "1", "--mel-bins", "20", "--epochs", "1", "--quiet",
                    ], timeout: Self.timeout)
                #expect(result.status == 1, "\(result.stderr)")
                let checkpoints = folder.appendingPathComponent("m.checkpoints").path
                #expect(
                    result.stderr.split(separator: "\n")
                        == ["earshot: \(checkpoints): create folder failed: Read-only file system"], "\(result.stderr)")
            }
        }
    }

    /// Without a mount: one output name is taken by a folder. That file is reported; the others are written.
    @Test func transcribeWritesTheOtherFilesWhenOneCannotBeWritten() throws {
        try withTemporaryDirectory { folder in
            let taken = folder.appendingPathComponent("yes.txt")
            try FileManager.default.createDirectory(
                at: taken.appendingPathComponent("inside"), withIntermediateDirectories: true)
            let result = try Self.transcribe(into: folder)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                Self.lines(result, mentioning: taken.path) == ["earshot: \(taken.path): rename failed: Is a directory"],
                "\(result.stderr)")
            for (name, text) in [("no", "no\n"), ("go_left", "go left\n")] {
                let written = try String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
                #expect(written == text)
            }
        }
    }

    /// `--output-dir` naming a regular file (`transcribe` and `features` make the folder when it is missing).
    @Test(arguments: ["transcribe", "features"])
    func anOutputFolderThatIsAFileIsOneLine(_ command: String) throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("notes.txt")
            try Data("x".utf8).write(to: file)
            let result = try CommandRunner.run(
                "earshot",
                [command, Self.clip("yes"), "--model", Self.model, "--output-dir", file.path]
                    .filter { command == "transcribe" || ($0 != "--model" && $0 != Self.model) },
                timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                Self.lines(result, mentioning: file.path) == [
                    "earshot: \(file.path): create folder failed: Not a directory"
                ],
                "\(result.stderr)")
        }
    }

    /// `-o` naming a folder: `lm build` and `features`.
    @Test(arguments: ["lm build", "features"])
    func anOutputThatIsAFolderIsOneLine(_ command: String) throws {
        try withTemporaryDirectory { directory in
            let text = directory.appendingPathComponent("text.txt")
            try "go left\nstop now\n".write(to: text, atomically: true, encoding: .utf8)
            let arguments = command == "features" ? ["features", Self.clip("yes")] : ["lm", "build", text.path]
            let result = try CommandRunner.run(
                "earshot", arguments + ["-o", directory.path], timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.split(separator: "\n") == ["earshot: \(directory.path): rename failed: Is a directory"],
                "\(result.stderr)")
        }
    }

    @Test func aLanguageModelThatIsAFolderIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let result = try CommandRunner.run(
                "earshot", ["transcribe", Self.clip("yes"), "--model", Self.model, "--lm", directory.path],
                timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.split(separator: "\n")
                    == ["earshot: \(directory.path):0: cannot read the file: Is a directory"],
                "\(result.stderr)")
        }
    }
}
