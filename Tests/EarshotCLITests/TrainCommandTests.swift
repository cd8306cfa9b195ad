import EarshotTestSupport
import Foundation
import XCTest

/// `earshot train` as a user runs it: the built binary on the six-clip fixture set, real signals.
final class TrainCommandTests: XCTestCase {
    var directory: URL!
    /// The training tests' six clips (Tests/EarshotTrainingTests/Fixtures), found from this source file.
    static let clips = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EarshotTrainingTests/Fixtures/clips")

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        // A manifest of the six clips, with absolute paths.
        let lines = try String(
            contentsOf: Self.clips.deletingLastPathComponent().appendingPathComponent("tiny.tsv"), encoding: .utf8
        )
        .split(separator: "\n").dropFirst()
        .map { line -> String in
            let parts = line.split(separator: "\t")
            return Self.clips.deletingLastPathComponent().appendingPathComponent(String(parts[0])).path + "\t"
                + parts[1]
        }
        try (lines.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("train.tsv"), atomically: true, encoding: .utf8)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A small, fast configuration for these tests.
    private let small = [
        "--hidden-size", "32", "--layers", "2", "--dropout", "0", "--mel-bins", "40", "--batch-size", "3",
        "--learning-rate", "0.003", "--warmup-steps", "5", "--speed-factors", "1", "--patience", "0",
    ]

    func testTrainsAModelThatLoadsAndReportsEpochsAsJSON() throws {
        let result = try CommandRunner.run(
            "earshot", ["train", path("train.tsv"), "-o", path("m.safetensors"), "--epochs", "3", "--json"] + small)
        XCTAssertEqual(result.status, 0, result.stderr)
        let epochs = result.stdoutText.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(epochs.map { $0["epoch"] as? Int }, [1, 2, 3])
        XCTAssertNotNil(epochs.first?["cer"] as? Double)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.safetensors")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.checkpoints/last.safetensors")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.checkpoints/best.safetensors")))

        // Fine-tuning from it, lowest layer frozen.
        let tuned = try CommandRunner.run(
            "earshot",
            [
                "train", path("train.tsv"), "-o", path("tuned.safetensors"), "--init", path("m.safetensors"),
                "--freeze-layers", "1", "--epochs", "1", "--quiet",
            ])
        XCTAssertEqual(tuned.status, 0, tuned.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("tuned.safetensors")))
    }

    /// Latency-controlled training from the command line: it trains, and impossible settings are usage errors.
    func testChunkedTraining() throws {
        let result = try CommandRunner.run(
            "earshot",
            [
                "train", path("train.tsv"), "-o", path("c.safetensors"), "--epochs", "2", "--json",
                "--chunk-steps", "4", "--lookahead-steps", "2", "--chunked-share", "0.5",
            ] + small)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("c.safetensors")))
        for bad in [
            ["--chunk-steps", "0"], ["--chunk-steps", "4", "--chunked-share", "1.5"],
            ["--chunk-steps", "4", "--lookahead-steps", "-1"],
            ["--vtlp", "1.1,0.9"], ["--vtlp", "3"], ["--vtlp", "x"], ["--vtlp", "0.9,1,1.1"],
        ] {
            let refused = try CommandRunner.run(
                "earshot", ["train", path("train.tsv"), "-o", path("x.safetensors")] + bad)
            XCTAssertEqual(refused.status, 64, "\(bad): \(refused.stderr)")
        }
    }

    /// `--normalization`: stored in the new model, kept by `--init` unless given again, followed by
    /// `transcribe`; an unknown mode, or one with `--resume`, is a usage error; `--help` shows the default.
    func testNormalizationOption() throws {
        /// The model file's config mode, read from the safetensors header (the config is JSON in a JSON string).
        func mode(_ name: String) throws -> String? {
            let header = String(
                decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))).prefix(65536), as: UTF8.self)
            return ["utterance-mean", "global"].first { header.contains("\\\"normalization\\\":\\\"\($0)\\\"") }
        }
        let result = try CommandRunner.run(
            "earshot",
            [
                "train", path("train.tsv"), "-o", path("u.safetensors"), "--epochs", "1", "--quiet",
                "--normalization", "utterance-mean",
            ] + small)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try mode("u.safetensors"), "utterance-mean")
        let kept = try CommandRunner.run(
            "earshot",
            [
                "train", path("train.tsv"), "-o", path("kept.safetensors"), "--init", path("u.safetensors"),
                "--epochs", "1", "--quiet", "--checkpoint-dir", path("kept"),
            ])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertEqual(try mode("kept.safetensors"), "utterance-mean")
        let switched = try CommandRunner.run(
            "earshot",
            [
                "train", path("train.tsv"), "-o", path("g.safetensors"), "--init", path("u.safetensors"),
                "--normalization", "global", "--epochs", "1", "--quiet", "--checkpoint-dir", path("g"),
            ])
        XCTAssertEqual(switched.status, 0, switched.stderr)
        XCTAssertEqual(try mode("g.safetensors"), "global")
        let transcribed = try CommandRunner.run(
            "earshot",
            ["transcribe", "--model", path("u.safetensors"), Self.clips.appendingPathComponent("yes.wav").path])
        XCTAssertEqual(transcribed.status, 0, transcribed.stderr)

        for bad in [["--normalization", "cmvn"], ["--normalization", "utterance-mean", "--resume"]] {
            let refused = try CommandRunner.run(
                "earshot", ["train", path("train.tsv"), "-o", path("x.safetensors")] + bad)
            XCTAssertEqual(refused.status, 64, "\(bad): \(refused.stderr)")
        }
        let help = try CommandRunner.run("earshot", ["train", "--help"]).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(help.contains("--normalization"), help)
        XCTAssertTrue(help.contains("(default: global for a new model"), help)
    }

    func testEveryInvalidManifestLineIsReportedBeforeTraining() throws {
        let good = Self.clips.appendingPathComponent("yes.wav").path
        try FileManager.default.createFile(atPath: path("text.wav"), contents: Data("not audio".utf8))
        let manifest = """
            \(good)\tyes
            \(path("missing.wav"))\thello
            \(good)\tcafé au lait
            this line has no tab
            \(path("text.wav"))\tsomething
            \(good)\t

            """
        try manifest.write(toFile: path("bad.tsv"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("earshot", ["train", path("bad.tsv"), "-o", path("m.safetensors")] + small)
        XCTAssertEqual(result.status, 1, result.stderr)
        for expected in [
            "bad.tsv:2:", "no such file", "bad.tsv:3:", "é", "bad.tsv:4:", "bad.tsv:5:", "not an audio file",
            "bad.tsv:6:",
        ] {
            XCTAssertTrue(result.stderr.contains(expected), "stderr lacks '\(expected)':\n\(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.safetensors")))

        // --skip-invalid trains on the one good line, and says what it skipped.
        let skipping = try CommandRunner.run(
            "earshot",
            ["train", path("bad.tsv"), "-o", path("m.safetensors"), "--skip-invalid", "--epochs", "1"] + small)
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertTrue(skipping.stderr.contains("skipping 5 invalid lines"), skipping.stderr)
    }

    /// SIGTERM mid-run writes a checkpoint and exits 143; `--resume` continues from it, and SIGINT does
    /// the same with 130.
    func testSignalsWriteACheckpointAndResumeContinues() throws {
        let arguments =
            ["train", path("train.tsv"), "-o", path("m.safetensors"), "--epochs", "100000", "--json"] + small
        let first = try runUntilEpochs(arguments, epochs: 2, signal: SIGTERM)
        XCTAssertEqual(first.status, 143, first.stderr)
        XCTAssertTrue(first.stderr.contains("--resume"), first.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.checkpoints/last.safetensors")))
        let second = try runUntilEpochs(arguments + ["--resume"], epochs: 1, signal: SIGINT)
        XCTAssertEqual(second.status, 130, second.stderr)
        XCTAssertGreaterThan(second.firstEpoch ?? 0, first.lastEpoch ?? .max, "the resumed run started over")
    }

    private struct Interrupted {
        var status: Int32
        var stderr: String
        var firstEpoch: Int?
        var lastEpoch: Int?
    }

    /// Runs earshot until it has printed `epochs` JSON epoch lines, then sends `signal` and waits.
    private func runUntilEpochs(_ arguments: [String], epochs: Int, signal: Int32) throws -> Interrupted {
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("earshot")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var seen: [Int] = [], buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while seen.count < epochs && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            while let newline = buffer.firstIndex(of: 10) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                    let epoch = object["epoch"] as? Int
                {
                    seen.append(epoch)
                }
            }
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Interrupted(
            status: process.terminationStatus, stderr: stderr, firstEpoch: seen.first, lastEpoch: seen.last)
    }

    func testHelpDocumentsTheOptionsWithDefaults() throws {
        let help = try CommandRunner.run("earshot", ["train", "--help"]).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in [
            "--valid", "--valid-fraction", "--output", "--checkpoint-dir", "--resume", "--init", "--freeze-layers",
            "--skip-invalid", "--epochs", "--batch-size", "--learning-rate", "--warmup-steps", "--max-grad-norm",
            "--seed", "--patience", "--time-masks", "--max-time-mask", "--frequency-masks", "--max-frequency-mask",
            "--speed-factors", "--vtlp", "--hidden-size", "--layers", "--dropout", "--mel-bins", "--stack", "--json",
            "--quiet",
        ] {
            XCTAssertTrue(help.contains(option), "help lacks \(option)")
        }
        for shown in [
            "(default: 30)", "(default: 16)", "(default: 0.001)", "(default: 256)", "(default: 3)",
            "(default: model.safetensors)", "(default: 0.9, 1.0, 1.1)", "(default: 0.9,1.1)",
        ] {
            XCTAssertTrue(help.contains(shown), "help lacks \(shown)")
        }
    }
}
