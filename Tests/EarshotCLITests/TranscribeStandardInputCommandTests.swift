import EarshotTestSupport
import Foundation
import Testing

@testable import EarshotAudio

/// `earshot transcribe -`: standard input as one of the inputs, a WAV stream or raw PCM (`--raw`), as
/// `ffmpeg -i talk.mp4 -f wav - | earshot transcribe -` sends it.
@Suite struct TranscribeStandardInputCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips

    static func clip(_ name: String) -> String { clips.appendingPathComponent("\(name).wav").path }

    static func transcribe(_ arguments: [String], stdin: Data) throws -> CommandResult {
        try CommandRunner.run("earshot", ["transcribe", "--model", model] + arguments, stdin: stdin, timeout: 60)
    }

    @Test func aWAVStreamOnStandardInput() throws {
        let result = try Self.transcribe(["-"], stdin: try Data(contentsOf: URL(fileURLWithPath: Self.clip("go_left"))))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "go left\n")
        #expect(result.stderr.contains("1 file, "), "\(result.stderr)")
    }

    /// Raw 16-bit PCM at 16 kHz, the clip's samples without a header.
    @Test func rawPCMOnStandardInput() throws {
        let samples = try AudioFile.read(path: Self.clip("open_the_door")).samples
        let pcm = WAVBytes.pcm16(samples, sampleRate: 16000).dropFirst(44)
        let result = try Self.transcribe(["--raw", "--rate", "16000", "-q", "-"], stdin: Data(pcm))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "open the door\n")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    /// Beside files, in the order given, each line named by its input (`-` for standard input).
    @Test func standardInputAmongFiles() throws {
        let result = try Self.transcribe(
            [Self.clip("yes"), "-", Self.clip("no")],
            stdin: try Data(contentsOf: URL(fileURLWithPath: Self.clip("stop_now"))))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "\(Self.clip("yes"))\tyes\n-\tstop now\n\(Self.clip("no"))\tno\n")
    }

    /// Errors name `<stdin>` once, as `stream` and `features -` do.
    @Test(arguments: [
        (
            Data("this is not audio at all, only text\n".utf8),
            "earshot: <stdin>: not an audio file libsndfile can read ("
        ),
        (Data(), "earshot: <stdin>: contains no audio samples (0 frames)\n"),
    ])
    func badStandardInputIsNamed(_ stdin: Data, _ message: String) throws {
        let result = try Self.transcribe(["-q", "-"], stdin: stdin)
        #expect(result.status == 1 && !result.crashed, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        #expect(result.stdoutText.isEmpty)
    }

    /// Standard input can be read once, has no file name for --output-dir, and is not shared by MPI ranks.
    @Test(arguments: [
        (["-", "-"], [String: String](), "'-' (standard input) can be read only once"),
        (["-", "--output-dir", "out"], [:], "standard input has no name to write under --output-dir"),
        (["-"], ["OMPI_COMM_WORLD_SIZE": "2"], "cannot be shared among the processes of an MPI job"),
    ])
    func usageErrors(_ arguments: [String], _ environment: [String: String], _ message: String) throws {
        let result = try CommandRunner.run(
            "earshot", ["transcribe", "--model", Self.model] + arguments, stdin: Data(),
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, timeout: 60)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
