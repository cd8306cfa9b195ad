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

    /// `transcribe -` reads standard input the same way, and so does `transcribe PATH` when the path names a pipe
    /// (`<(cat clip.wav)`, a named pipe), which libsndfile would have opened itself and looped on.
    @Test func transcribeOfAStreamCutInsideAChunkHeaderEnds() throws {
        let model = TranscribeCommandTests.model
        let standardInput = try CommandRunner.run(
            "earshot", ["transcribe", "--model", model, "-q", "-"], stdin: Self.cutHeader, timeout: 10)
        #expect(!standardInput.timedOut && !standardInput.crashed && standardInput.status == 1)
        #expect(
            standardInput.stderr
                == "earshot: <stdin>: the WAV stream ends inside its header, in the header of a chunk, after 40 bytes\n"
        )
        let source = try PipeSource.processSubstitution(bytes: Self.cutHeader)
        defer { source.finish() }
        let path = try CommandRunner.run("earshot", ["transcribe", "--model", model, "-q", source.path], timeout: 10)
        #expect(!path.timedOut, "earshot transcribe still running after 10 s")
        #expect(!path.crashed && path.status == 1, "\(path.stderr)")
        #expect(
            path.stderr
                == "earshot: \(source.path): the WAV stream ends inside its header, in the header of a chunk, after 40 bytes\n"
        )
    }

    /// RIFX and RF64 streams, which `--format auto` takes for WAV too, cut at the same place: the same error.
    @Test(arguments: [
        (cutRIFX, "after 40 bytes"), (cutRF64, "after 76 bytes"),
    ])
    func rifxAndRF64StreamsCutInsideAChunkHeaderEnd(_ stream: Data, _ length: String) throws {
        for format in ["auto", "wav"] {
            let result = try CommandRunner.run(
                "earshot", ["stream", "--model", TranscribeCommandTests.model, "--format", format], stdin: stream,
                timeout: 5)
            #expect(!result.timedOut && !result.crashed && result.status == 1, "\(format): \(result.stderr)")
            #expect(
                result.stderr
                    == "earshot: <stdin>: the WAV stream ends inside its header, in the header of a chunk, \(length)\n")
        }
    }

    /// The RIFF header through `fmt `, then `LIST`, big-endian.
    static let cutRIFX: Data = {
        var bytes = Array("RIFX".utf8) + [0, 0, 0, 0x24] + Array("WAVEfmt ".utf8) + [0, 0, 0, 16]
        bytes += [0, 1, 0, 1, 0, 0, 0x3E, 0x80, 0, 0, 0x7D, 0, 0, 2, 0, 16]
        return Data(bytes + Array("LIST".utf8))
    }()

    /// An RF64 header (sizes 0xFFFFFFFF, a `ds64` chunk), the `fmt ` chunk, then `LIST`.
    static let cutRF64: Data = {
        let unknown: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        let ds64 = Array("ds64".utf8) + [28, 0, 0, 0] + [UInt8](repeating: 0, count: 28)
        return Data(Array("RF64".utf8) + unknown + Array("WAVE".utf8) + ds64) + cutHeader[12...]
    }()

    /// A whole RF64 stream (as libsndfile writes one: `ds64`, sizes 0xFFFFFFFF) and a RIFX one give the features
    /// of the same audio as RIFF; libsndfile's RF64 parser on a pipe lost the first 8 bytes of samples.
    @Test func wholeRIFXAndRF64StreamsGiveTheFeaturesOfRIFF() throws {
        let riff = WAVBytes.pcm16((0..<8000).map { Float(0.3 * sin(Double($0) / 7)) }, sampleRate: 16000)
        let payload = riff[44...]
        let unknown = Data([0xFF, 0xFF, 0xFF, 0xFF])
        let ds64 = Data("ds64".utf8) + Data([28, 0, 0, 0]) + Data(count: 28)
        let rf64 =
            Data("RF64".utf8) + unknown + Data("WAVE".utf8) + ds64 + riff[12..<36] + Data("data".utf8) + unknown
            + payload
        var rifx = Data("RIFX".utf8) + Data(riff[4..<8].reversed()) + Data("WAVEfmt ".utf8) + Data([0, 0, 0, 16])
        for range in [20..<22, 22..<24, 24..<28, 28..<32, 32..<34, 34..<36, 40..<44] {
            if range.lowerBound == 40 { rifx += Data("data".utf8) }
            rifx += Data(riff[range].reversed())
        }
        for i in stride(from: payload.startIndex, to: payload.endIndex, by: 2) {
            rifx += Data([payload[i + 1], payload[i]])
        }
        let expected = try CommandRunner.run("earshot", ["features", "-", "-o", "-"], stdin: riff, timeout: 60)
        #expect(expected.status == 0 && expected.stdout.count > 1000, "\(expected.stderr)")
        for stream in [rifx, rf64] {
            let result = try CommandRunner.run("earshot", ["features", "-", "-o", "-"], stdin: stream, timeout: 60)
            #expect(result.status == 0 && result.stdout == expected.stdout, "\(result.stderr)")
        }
    }
}
