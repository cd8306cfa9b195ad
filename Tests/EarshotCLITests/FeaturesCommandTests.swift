import EarshotFeatures
import EarshotTestSupport
import Foundation
import XCTest

/// `earshot features`, run as a user runs it: the built binary, real files, real pipes.
final class FeaturesCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func write(_ data: Data, _ name: String) throws -> String {
        try data.write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// A 0.5 s chirp at `rate` Hz.
    private func chirp(rate: Int, seconds: Double = 0.5) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { i in
            let t = Double(i) / Double(rate)
            return Float(0.3 * sin(2 * Double.pi * (200 + 1500 * t) * t))
        }
    }

    func testWritesNumPyFeaturesEqualToTheLibrary() throws {
        let samples = chirp(rate: 16000)
        let input = try write(WAVBytes.pcm16(samples, sampleRate: 16000), "chirp.wav")
        let result = try CommandRunner.run("earshot", ["features", input, "-o", path("out.npy")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = try FeatureMatrix(npyAt: path("out.npy"))
        let quantised = samples.map { (($0 * 32768).rounded()) / 32768 }
        assertSameFeatures(written, try Fbank().compute(quantised), "CLI vs library")
        XCTAssertEqual(written.frameCount, 48)
        XCTAssertTrue(result.stderr.contains("48 frames × 80"), result.stderr)
    }

    func testDefaultOutputNameAndOptions() throws {
        let input = try write(WAVBytes.pcm16(chirp(rate: 16000), sampleRate: 16000), "clip.flac.wav")
        let result = try CommandRunner.run(
            "earshot",
            [
                "features", input, "--num-mel-bins", "40", "--use-energy", "--stack", "3", "--cmvn",
                "--output-dir", directory.path, "--json",
            ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let features = try FeatureMatrix(npyAt: path("clip.flac.npy"))
        XCTAssertEqual(features.frameCount, 16)  // ⌈48 / 3⌉
        XCTAssertEqual(features.dimension, 123)  // 3 × (40 + energy)
        let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        XCTAssertEqual(json?["frames"] as? Int, 16)
        XCTAssertEqual(json?["output"] as? String, path("clip.flac.npy"))
    }

    /// Standard input, as a WAV stream or raw PCM through a pipe, gives the same features as the file.
    func testStandardInputMatchesTheFile() throws {
        for rate in [16000, 8000] {
            let samples = chirp(rate: rate, seconds: 1.3)
            let wav = WAVBytes.pcm16(samples, sampleRate: rate)
            let input = try write(wav, "in\(rate).wav")
            XCTAssertEqual(try CommandRunner.run("earshot", ["features", input, "-o", path("file.npy")]).status, 0)
            let fromFile = try FeatureMatrix(npyAt: path("file.npy"))

            let piped = try CommandRunner.run("earshot", ["features", "-", "-o", path("wav.npy")], stdin: wav)
            XCTAssertEqual(piped.status, 0, piped.stderr)
            let raw = try CommandRunner.run(
                "earshot", ["features", "-", "--raw", "--rate", "\(rate)", "-o", "-", "--quiet"],
                stdin: wav.dropFirst(44))
            XCTAssertEqual(raw.status, 0, raw.stderr)
            assertSameFeatures(try FeatureMatrix(npyAt: path("wav.npy")), fromFile, "WAV stream at \(rate) Hz")
            assertSameFeatures(try FeatureMatrix(npyData: raw.stdout), fromFile, "raw stream at \(rate) Hz")
        }
    }

    func testHelpDocumentsEveryOptionWithItsDefault() throws {
        // Help wraps lines to the terminal width: compare with runs of white space folded to one space.
        let help = try CommandRunner.run("earshot", ["features", "--help"]).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in [
            "--output", "--output-dir", "--format", "--cmvn", "--stack", "--stack-stride", "--json",
            "--quiet", "--sample-frequency", "--num-mel-bins", "--frame-length", "--frame-shift",
            "--low-freq", "--high-freq", "--window-type", "--preemphasis-coefficient", "--dither",
            "--dither-seed", "--remove-dc-offset", "--snip-edges", "--use-energy", "--energy-floor",
            "--raw-energy", "--use-log-fbank", "--use-power", "--raw", "--rate", "--encoding", "--channels",
        ] {
            XCTAssertTrue(help.contains(option), "help lacks \(option)")
        }
        for shown in [
            "(default: 80)", "(default: 16000.0)", "default: povey)", "(default: 0.97)", "(default: 25.0)",
            "(default: --remove-dc-offset)", "(default: --snip-edges)", "default: npy)",
        ] {
            XCTAssertTrue(help.contains(shown), "help lacks \(shown)")
        }
        let version = try CommandRunner.run("earshot", ["--version"])
        XCTAssertTrue(version.stdoutText.contains("OpenBLAS"), version.stdoutText)
    }

    /// Every kind of bad input: one line naming the file and the cause, exit status 1, no crash, no
    /// output file; the good inputs beside it are still processed.
    func testBadInputsAreReportedAndTheRestProcessed() throws {
        let good = try write(WAVBytes.pcm16(chirp(rate: 16000), sampleRate: 16000), "good.wav")
        var nan = chirp(rate: 16000)
        nan[1234] = .nan
        let full = WAVBytes.pcm16(chirp(rate: 16000), sampleRate: 16000)
        try FileManager.default.createDirectory(atPath: path("folder.wav"), withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            (path("missing.wav"), "no such file"),
            (path("folder.wav"), "directory"),
            (try write(Data(), "empty.wav"), "empty"),
            (try write(Data("hello, this is text\n".utf8), "text.wav"), "not an audio file"),
            (try write(full.prefix(full.count / 2), "truncated.wav"), "truncated"),
            (try write(WAVBytes.pcm16([], sampleRate: 16000), "nosamples.wav"), "no audio samples"),
            (try write(WAVBytes.pcm16(chirp(rate: 16000, seconds: 0.02), sampleRate: 16000), "short.wav"), "too short"),
            (try write(WAVBytes.pcm16(chirp(rate: 500), sampleRate: 500), "rate500.wav"), "sample rate"),
            (try write(WAVBytes.float32(nan, sampleRate: 16000), "nan.wav"), "not a finite number"),
        ]
        let result = try CommandRunner.run(
            "earshot", ["features", good] + cases.map(\.0) + ["--output-dir", path("out")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertFalse(result.crashed)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("earshot: ") }
        XCTAssertEqual(lines.count, cases.count, result.stderr)
        for (file, cause) in cases {
            let line = lines.first { $0.contains(file + ":") }
            XCTAssertNotNil(line, "no message names \(file): \(result.stderr)")
            XCTAssertTrue(line?.contains(cause) ?? false, "\(line ?? ""): expected '\(cause)'")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("out/good.npy")), "the good file was skipped")
        let written = try FileManager.default.contentsOfDirectory(atPath: path("out"))
        XCTAssertEqual(written, ["good.npy"], "only the good input leaves an output, and no temporary files")
    }

    func testUsageErrorsExitWith64() throws {
        XCTAssertEqual(try CommandRunner.run("earshot", ["features"]).status, 64)
        XCTAssertEqual(try CommandRunner.run("earshot", ["features", "a.wav", "b.wav", "-o", "x.npy"]).status, 64)
        XCTAssertEqual(try CommandRunner.run("earshot", ["features", "-"]).status, 64)
        let badOption = try CommandRunner.run("earshot", ["features", "a.wav", "--num-mel-bins", "1"])
        XCTAssertEqual(badOption.status, 64)
        XCTAssertTrue(badOption.stderr.contains("--num-mel-bins must be at least 3, got 1"), badOption.stderr)
    }

    func testUnwritableOutputIsAnErrorNamingIt() throws {
        let input = try write(WAVBytes.pcm16(chirp(rate: 16000), sampleRate: 16000), "in.wav")
        let target = path("no/such/dir/out.npy")
        let result = try CommandRunner.run("earshot", ["features", input, "-o", target])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(target), result.stderr)
    }
}
