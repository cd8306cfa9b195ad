import EarshotFeatures
import EarshotTestSupport
import Foundation
import Testing

/// `earshot features` holds the features of one input in memory (the `.npy` header needs their count,
/// `--cmvn` all of them): an input longer than `--max-frames` is refused as the frames arrive, with a
/// message naming the input, the limit and the flag, instead of growing until memory runs out.
@Suite struct FeaturesLimitCommandTests {
    static let timeout: TimeInterval = 60

    /// One second of a 440 Hz tone at 16 kHz as raw little-endian 16-bit PCM: 98 frames.
    static let oneSecond: Data = {
        let samples = (0..<16000).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 16000)) }
        return WAVBytes.pcm16(samples, sampleRate: 16000).dropFirst(44)
    }()

    @Test func standardInputBeyondTheLimitIsRefused() throws {
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.npy").path
            let result = try CommandRunner.run(
                "earshot", ["features", "-", "--raw", "--rate", "16000", "--max-frames", "50", "-o", output],
                stdin: Self.oneSecond, timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.contains("earshot: <stdin>: the input is longer than the limit of 50 frames"),
                "\(result.stderr)")
            #expect(result.stderr.contains("--max-frames"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func aFileBeyondTheLimitIsRefusedAndTheOthersProcessed() throws {
        try withTemporaryDirectory { directory in
            let samples = (0..<32000).map { Float(0.3 * sin(Double($0) / 10)) }
            let long = directory.appendingPathComponent("long.wav")
            let short = directory.appendingPathComponent("short.wav")
            try WAVBytes.pcm16(samples, sampleRate: 16000).write(to: long)
            try WAVBytes.pcm16(Array(samples.prefix(8000)), sampleRate: 16000).write(to: short)
            let result = try CommandRunner.run(
                "earshot",
                ["features", long.path, short.path, "--max-frames", "100", "--output-dir", directory.path],
                timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.contains("earshot: \(long.path): the input is longer than the limit of 100 frames"),
                "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("short.npy").path))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("long.npy").path))
        }
    }

    /// Input of exactly the limit is accepted: the limit counts frames, not blocks.
    @Test func inputOfExactlyTheLimitIsAccepted() throws {
        let result = try CommandRunner.run(
            "earshot", ["features", "-", "--raw", "--rate", "16000", "--max-frames", "98", "-o", "-", "--quiet"],
            stdin: Self.oneSecond, timeout: Self.timeout)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FeatureMatrix(npyData: result.stdout).frameCount == 98)
    }

    @Test func theLimitIsStatedInTheHelpAndChecked() throws {
        let help = try CommandRunner.run("earshot", ["features", "--help"], timeout: Self.timeout).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--max-frames"), "\(help)")
        #expect(help.contains("(default: 1440000)"), "\(help)")
        #expect(help.contains("4 h"), "\(help)")
        let zero = try CommandRunner.run("earshot", ["features", "a.wav", "--max-frames", "0"], timeout: Self.timeout)
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--max-frames must be at least 1, got 0"), "\(zero.stderr)")
    }
}
