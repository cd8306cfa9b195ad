import EarshotTestSupport
import Foundation
import Testing

/// Inputs that are pipes, not files — a named pipe (`mkfifo f; cat clip.wav > f &`), process substitution
/// (`<(cat clip.wav)`) — can be read once only. `transcribe` opens an audio input once, also when standard
/// error is a terminal (where it reads the headers of files ahead for a progress bar).
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
}
