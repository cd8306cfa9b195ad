import EarshotTestSupport
import Foundation
import Testing

#if Plot
    import EarshotDrawing
#endif

/// `earshot plot` as a user runs it: the built binary, the tiny model, the training fixtures' clips.
@Suite struct PlotCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EarshotTrainingTests/Fixtures")
    static let clip = fixtures.appendingPathComponent("clips/open_the_door.wav").path
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny-model.safetensors").path

    #if Plot
        /// The clip picture is a PNG of the width asked for; Cairo's reader decodes it to many colours. With
        /// `--chunk-steps` the model runs chunk by chunk and the picture changes.
        @Test func drawsAClipAsAPNG() throws {
            try withTemporaryDirectory { folder in
                let whole = folder.appendingPathComponent("clip.png").path
                let result = try CommandRunner.run(
                    "earshot", ["plot", Self.clip, "-o", whole, "--model", Self.model, "--greedy", "--width", "800"])
                #expect(result.status == 0, "\(result.stderr)")
                let data = try Data(contentsOf: URL(fileURLWithPath: whole))
                let header = try #require(PNGHeader(data: data))
                #expect(header.width == 800 && header.height > 600)
                let picture = try Canvas(contentsOfPNG: whole)
                #expect(picture.width == 800 && picture.height == header.height)
                var colors = Set<UInt32>()
                for y in stride(from: 0, to: picture.height, by: 3) {
                    for x in stride(from: 0, to: picture.width, by: 3) {
                        colors.insert(picture.pixel(x: x, y: y).packed)
                    }
                }
                #expect(colors.count > 200)

                let chunked = folder.appendingPathComponent("chunked.png").path
                let streaming = try CommandRunner.run(
                    "earshot",
                    [
                        "plot", Self.clip, "-o", chunked, "--model", Self.model, "--greedy", "--width", "800",
                        "--chunk-steps", "4", "--lookahead-steps", "0",
                    ])
                #expect(streaming.status == 0, "\(streaming.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: chunked)) != data)
            }
        }

        /// A real (tiny) training run's history, from its checkpoint folder, a checkpoint, and its `--json` output.
        @Test func drawsATrainingRunFromItsCheckpointsAndItsJSON() throws {
            try withTemporaryDirectory { folder in
                let manifest = try String(
                    contentsOf: Self.fixtures.appendingPathComponent("tiny.tsv"), encoding: .utf8
                )
                .split(separator: "\n").dropFirst()
                .map { Self.fixtures.path + "/" + $0 }.joined(separator: "\n")
                try Data(manifest.utf8).write(to: folder.appendingPathComponent("train.tsv"))
                let train = try CommandRunner.run(
                    "earshot",
                    [
                        "train", folder.appendingPathComponent("train.tsv").path, "-o",
                        folder.appendingPathComponent("m.safetensors").path, "--epochs", "2", "--json", "--quiet",
                        "--hidden-size", "16", "--layers", "1", "--mel-bins", "40", "--batch-size", "3",
                        "--speed-factors", "1",
                    ])
                #expect(train.status == 0, "\(train.stderr)")
                // Each epoch's line carries its learning rate and skipped batches.
                for line in train.stdoutText.split(separator: "\n") {
                    let epoch = try #require(
                        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    #expect((epoch["learning_rate"] as? Double ?? 0) > 0 && epoch["skipped_batches"] as? Int == 0)
                }
                let log = folder.appendingPathComponent("train.jsonl")
                try train.stdout.write(to: log)
                let checkpoints = folder.appendingPathComponent("m.checkpoints")
                for history in [
                    checkpoints.path, checkpoints.appendingPathComponent("best.safetensors").path, log.path,
                ] {
                    let png = folder.appendingPathComponent("training.png").path
                    let result = try CommandRunner.run("earshot", ["plot", "--training", history, "-o", png])
                    #expect(result.status == 0, "\(history): \(result.stderr)")
                    let header = try #require(PNGHeader(data: try Data(contentsOf: URL(fileURLWithPath: png))))
                    #expect(header.width == 1200)
                    let picture = try Canvas(contentsOfPNG: png)
                    #expect(picture.height == header.height)
                    try FileManager.default.removeItem(atPath: png)
                }
            }
        }

        /// Each bad input is one line naming the file and the cause, with status 1 (64 for the command line
        /// itself), and no picture.
        @Test func badInputsAreNamed() throws {
            try withTemporaryDirectory { folder in
                let png = folder.appendingPathComponent("out.png").path
                func plot(_ arguments: [String]) throws -> CommandResult {
                    try CommandRunner.run("earshot", ["plot"] + arguments + ["--model", Self.model, "--greedy"])
                }
                let missing = folder.appendingPathComponent("missing.wav").path
                var result = try plot([missing, "-o", png])
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix("earshot: \(missing): "), "\(result.stderr)")

                let text = folder.appendingPathComponent("notes.wav").path
                try Data("not audio at all, just words\n".utf8).write(to: URL(fileURLWithPath: text))
                result = try plot([text, "-o", png])
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix("earshot: \(text): "), "\(result.stderr)")

                let run = folder.appendingPathComponent("run").path
                try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: false)
                result = try plot(["--training", run, "-o", png])
                #expect(result.status == 1)
                #expect(
                    result.stderr
                        == "earshot: \(run): no training history: no last.safetensors in it (a checkpoint folder of 'earshot train')\n"
                )

                let unwritable = folder.appendingPathComponent("no/such/folder/clip.png").path
                result = try plot([Self.clip, "-o", unwritable])
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix("earshot: \(unwritable): "), "\(result.stderr)")

                #expect(try plot(["-o", png]).status == 64)  // neither a clip nor --training
                #expect(try plot([Self.clip, "--training", run, "-o", png]).status == 64)
                #expect(try plot([Self.clip, "-o", png, "--width", "100"]).status == 64)
                #expect(try plot([Self.clip, "-o", png, "--chunk-steps", "0"]).status == 64)
                #expect(!FileManager.default.fileExists(atPath: png))
            }
        }
    #else
        /// Built without the Plot trait, `earshot plot` says how to get it.
        @Test func saysHowToBuildItWithPictures() throws {
            let result = try CommandRunner.run("earshot", ["plot", Self.clip, "-o", "/tmp/unused.png"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("--traits Plot"))
        }
    #endif
}
