import EarshotTestSupport
import Foundation
import Testing

/// `earshot stream` given a WAV stream that ends inside the header of a chunk before `data`: found by the
/// `audio-stream` fuzz target (FUZZING.md). libsndfile 1.2.0, reading a pipe, loops for ever on it while its
/// memory grows (about 75 MB/s); the stream's head is now read before libsndfile sees it (`WAVStreamHead`),
/// so the command ends at once with one line saying where the stream ended.
@Suite struct StreamCutHeaderTests {
    /// 40 bytes: the header of a 16 kHz mono 16-bit WAV up to the end of its `fmt ` chunk, then the id of a
    /// `LIST` chunk (as ffmpeg and sox write before `data`), and the end of the stream.
    static let cutHeader: Data = {
        var bytes = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0]
        bytes += [1, 0, 1, 0, 0x80, 0x3E, 0, 0, 0, 0x7D, 0, 0, 2, 0, 16, 0]  // PCM, 1 channel, 16000 Hz, 16 bits
        return Data(bytes + Array("LIST".utf8))
    }()

    @Test func aStreamCutInsideAChunkHeaderEnds() throws {
        let model = TranscribeCommandTests.model
        for format in ["auto", "wav"] {
            let result = try CommandRunner.run(
                "earshot", ["stream", "--model", model, "--format", format], stdin: Self.cutHeader, timeout: 5)
            #expect(!result.timedOut, "earshot stream still running after 5 s")
            #expect(result.status == 1 && !result.crashed, "status \(result.status), stderr: \(result.stderr)")
            #expect(
                result.stderr
                    == "earshot: <stdin>: the WAV stream ends inside its header, in the header of a chunk, after 40 bytes\n"
            )
        }
    }

    /// `features -` reads standard input the same way.
    @Test func featuresOfAStreamCutInsideAChunkHeaderEnds() throws {
        let result = try CommandRunner.run("earshot", ["features", "-", "-o", "-"], stdin: Self.cutHeader, timeout: 5)
        #expect(!result.timedOut && !result.crashed && result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the WAV stream ends inside its header"), "\(result.stderr)")
    }
}
