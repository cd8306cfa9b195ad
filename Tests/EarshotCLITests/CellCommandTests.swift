import EarshotTestSupport
import Foundation
import Testing

/// `earshot train --cell lstm|gru --peepholes`: a new model of each cell trains for a couple of steps
/// (whole clips and latency-controlled chunks), stores its cell, and transcribes (float32 and int8),
/// evaluates and streams; contradictions are usage errors naming the option.
@Suite struct CellCommandTests {
    /// A folder with the six training clips' manifest (absolute paths), removed by `body`'s end.
    static func withManifest(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-cells-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clips = TrainCommandTests.clips
        let lines = try String(
            contentsOf: clips.deletingLastPathComponent().appendingPathComponent("tiny.tsv"), encoding: .utf8
        )
        .split(separator: "\n").dropFirst()
        .map { line -> String in
            let parts = line.split(separator: "\t")
            return clips.deletingLastPathComponent().appendingPathComponent(String(parts[0])).path + "\t" + parts[1]
        }
        try (lines.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("train.tsv"), atomically: true, encoding: .utf8)
        try body(directory)
    }

    /// One epoch of two batches: small and fast.
    static let small = [
        "--hidden-size", "16", "--layers", "2", "--dropout", "0.1", "--mel-bins", "20", "--batch-size", "3",
        "--epochs", "1", "--speed-factors", "1", "--patience", "0", "--quiet",
    ]

    /// The model file's config as JSON text (the header holds it as a JSON string).
    static func header(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).prefix(65536), as: UTF8.self)
    }

    @Test(arguments: [["--cell", "gru"], ["--peepholes"], ["--cell", "lstm"]])
    func aNewModelOfEachCellTrainsAndTranscribes(_ cellArguments: [String]) throws {
        try Self.withManifest { directory in
            let model = directory.appendingPathComponent("m.safetensors").path
            let manifest = directory.appendingPathComponent("train.tsv").path
            let trained = try CommandRunner.run(
                "earshot",
                ["train", manifest, "-o", model, "--chunk-steps", "4", "--chunked-share", "0.5"] + Self.small
                    + cellArguments)
            #expect(trained.status == 0, "\(trained.stderr)")
            let header = try Self.header(model)
            let cell = cellArguments.contains("gru") ? "gru" : "lstm"
            #expect(header.contains("\\\"cell\\\":\\\"\(cell)\\\""), "\(header.prefix(2000))")
            let peepholes = cellArguments.contains("--peepholes")
            #expect(header.contains("\\\"peepholes\\\":\(peepholes)"))
            #expect(header.contains("weight_ci_l1_reverse") == peepholes)

            let clip = TrainCommandTests.clips.appendingPathComponent("yes.wav").path
            let transcribed = try CommandRunner.run("earshot", ["transcribe", "--model", model, clip])
            #expect(transcribed.status == 0, "\(transcribed.stderr)")
            #expect(transcribed.stdoutText.hasSuffix("\n"), "\(transcribed.stdoutText)")  // one line: its transcript
            let evaluated = try CommandRunner.run("earshot", ["eval", manifest, "--model", model, "--json"])
            #expect(evaluated.status == 0, "\(evaluated.stderr)")
            let streamed = try CommandRunner.run(
                "earshot", ["stream", "--json", "--model", model, "--chunk-steps", "4"],
                stdin: try Data(contentsOf: URL(fileURLWithPath: clip)))
            #expect(streamed.status == 0, "\(streamed.stderr)")
            #expect(streamed.stdoutText.contains("\"final\""), "\(streamed.stdoutText)")

            let int8 = try CommandRunner.run("earshot", ["transcribe", "--model", model, "--precision", "int8", clip])
            #expect(int8.status == 0, "\(int8.stderr)")

            // --init keeps the model's cell; contradicting it is a usage error naming the option.
            let contradiction = cell == "gru" ? ["--cell", "lstm"] : (peepholes ? ["--cell", "gru"] : ["--peepholes"])
            let refused = try CommandRunner.run(
                "earshot",
                ["train", manifest, "-o", directory.appendingPathComponent("x.safetensors").path, "--init", model]
                    + Self.small + contradiction)
            #expect(refused.status == 64, "\(refused.stderr)")
            #expect(refused.stderr.contains("\(contradiction[0])") && refused.stderr.contains("contradicts"))
            let kept = try CommandRunner.run(
                "earshot",
                ["train", manifest, "-o", directory.appendingPathComponent("k.safetensors").path, "--init", model]
                    + Self.small + cellArguments)
            #expect(kept.status == 0, "\(kept.stderr)")
        }
    }

    @Test func contradictoryOrUnknownCellsAreUsageErrors() throws {
        for (arguments, message) in [
            (["--cell", "gru", "--peepholes"], "--peepholes"), (["--cell", "rnn"], "--cell"),
        ] {
            let result = try CommandRunner.run("earshot", ["train", "x.tsv", "-o", "x.safetensors"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func helpExplainsTheCellsWithTheirDefaults() throws {
        let help = try CommandRunner.run("earshot", ["train", "--help"]).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--cell <lstm|gru>") && help.contains("(default: lstm for a new model"), "\(help)")
        #expect(help.contains("--peepholes") && help.contains("(default: off for a new model"), "\(help)")
    }
}
