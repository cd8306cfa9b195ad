import EarshotTestSupport
import Foundation
import Testing

/// Inputs that are pipes, not files — a named pipe (`mkfifo f; cat clip.wav > f &`), process substitution
/// (`<(cat clip.wav)`, `<(cat manifest.tsv)`) — can be read once only. `transcribe` opens an audio input
/// once, also when standard error is a terminal (where it would read the headers ahead for a progress
/// bar); `eval` reads its manifest from one.
@Suite struct PipeInputCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips
    /// A hang (a second open of a named pipe waits for a writer that never comes) is killed after this.
    static let timeout: TimeInterval = 60

    static func clipBytes(_ name: String) throws -> Data {
        try Data(contentsOf: clips.appendingPathComponent("\(name).wav"))
    }

    /// Runs `earshot transcribe <source.path>` and lets the source's writer go.
    static func transcribe(_ source: PipeSource, terminal: Bool) throws -> CommandResult {
        defer { source.finish() }
        return try CommandRunner.run(
            "earshot", ["transcribe", source.path, "--model", model], timeout: timeout,
            standardErrorIsTerminal: terminal)
    }

    @Test(arguments: [false, true])
    func transcribeReadsANamedPipe(terminal: Bool) throws {
        try withTemporaryDirectory { directory in
            let source = try PipeSource.namedPipe(
                at: directory.appendingPathComponent("clip.fifo").path, bytes: try Self.clipBytes("go_left"))
            let result = try Self.transcribe(source, terminal: terminal)
            #expect(!result.timedOut, "transcribe hung on the named pipe")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdoutText == "go left\n")
        }
    }

    @Test(arguments: [false, true])
    func transcribeReadsProcessSubstitution(terminal: Bool) throws {
        let source = try PipeSource.processSubstitution(bytes: try Self.clipBytes("open_the_door"))
        let result = try Self.transcribe(source, terminal: terminal)
        #expect(!result.timedOut, "transcribe hung on the pipe")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "open the door\n")
    }

    /// `earshot eval <(cat tiny.tsv)` run from the manifest's folder: the relative audio paths of a manifest
    /// that is a pipe start from the working directory (a pipe has no folder of its own).
    @Test func evalReadsAManifestFromProcessSubstitution() throws {
        let folder = Self.clips.deletingLastPathComponent()
        let manifest = try Data(contentsOf: folder.appendingPathComponent("tiny.tsv"))
        let source = try PipeSource.processSubstitution(bytes: manifest)
        defer { source.finish() }
        let result = try CommandRunner.run(
            "earshot", ["eval", source.path, "--model", Self.model], currentDirectory: folder, timeout: Self.timeout)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("WER 0.00% "), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("6 clips"), "\(result.stdoutText)")
    }

    /// `earshot lm build <(cat sentences.txt) -o lm.arpa`: the text is read from the pipe.
    @Test func languageModelTextFromProcessSubstitution() throws {
        try withTemporaryDirectory { directory in
            let source = try PipeSource.processSubstitution(bytes: Data("go left\nstop now\n".utf8))
            defer { source.finish() }
            let output = directory.appendingPathComponent("lm.arpa").path
            let result = try CommandRunner.run(
                "earshot", ["lm", "build", source.path, "-o", output, "--order", "2"], timeout: Self.timeout)
            #expect(result.status == 0, "\(result.stderr)")
            let arpa = try String(contentsOfFile: output, encoding: .utf8)
            #expect(arpa.contains("ngram 1=7"), "\(arpa)")  // <unk>, <s>, </s> and the four words
        }
    }
}
