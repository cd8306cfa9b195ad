import EarshotTestSupport
import Foundation
import Testing

/// A model file with a config no network can be built from ends a command with an error naming the file
/// and the field, in seconds (not a SIGFPE or a hang); and the command line's own values out of range are
/// usage errors naming the flag, with the library's rule and wording.
@Suite struct InvalidConfigCommandTests {
    static let tinyModel = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("tiny-model.safetensors").path
    static let clip = TranscribeCommandTests.clips.appendingPathComponent("yes.wav").path
    /// Generous for a run that fails before any audio is read: a regression to a hang is killed after it.
    static let timeout: TimeInterval = 30

    /// Copies the safetensors file at `source` to `destination` with `value` (any JSON value) at `field` of
    /// the model config in its metadata (a JSON document held as a string in the header's JSON).
    static func copyModel(_ source: String, to destination: String, setting field: String, to value: Any) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let headerLength = Int(
            data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + headerLength)) as! [String: Any]
        var metadata = header["__metadata__"] as! [String: String]
        var config = try JSONSerialization.jsonObject(with: Data(metadata["config"]!.utf8)) as! [String: Any]
        let path = field.split(separator: ".").map(String.init)
        if path.count == 1 {
            config[path[0]] = value
        } else {
            var part = config[path[0]] as! [String: Any]
            part[path[1]] = value
            config[path[0]] = part
        }
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        header["__metadata__"] = metadata
        var json = try JSONSerialization.data(withJSONObject: header)
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var file = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) })
        file.append(json)
        file.append(data.suffix(from: 8 + headerLength))
        try file.write(to: URL(fileURLWithPath: destination))
    }

    /// (the config field, its bad value, the message).
    static let badModels: [(String, Int, String)] = [
        ("stacking.stride", 0, "stacking.stride must be at least 1, got 0"),
        ("layerCount", -1, "layerCount must be at least 1, got -1"),
    ]

    @Test(arguments: badModels)
    func transcribeRefusesTheModelNamingTheFileAndTheField(field: String, value: Int, message: String) throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("bad.safetensors").path
            try Self.copyModel(Self.tinyModel, to: model, setting: field, to: value)
            let result = try CommandRunner.run(
                "earshot", ["transcribe", "--model", model, Self.clip], timeout: Self.timeout)
            #expect(!result.timedOut)
            #expect(!result.crashed, "\(result.stderr)")
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("earshot: \(model): the config in the metadata is invalid: \(message)"),
                "\(result.stderr)")
        }
    }

    /// `eval`, `stream` and `train --init` load models the same way.
    @Test(arguments: [
        ["eval", "manifest.tsv", "--model"], ["stream", "--model"], ["train", "manifest.tsv", "--init"],
    ])
    func everyCommandRefusesIt(_ command: [String]) throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("bad.safetensors").path
            try Self.copyModel(Self.tinyModel, to: model, setting: "dropout", to: 1.5)
            let result = try CommandRunner.run(
                "earshot", command + [model], currentDirectory: directory, timeout: Self.timeout)
            #expect(!result.timedOut)
            #expect(!result.crashed, "\(result.stderr)")
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "\(model): the config in the metadata is invalid: dropout must be in [0, 1), got 1.5"),
                "\(result.stderr)")
        }
    }

    /// (the config field, its bad value, the message): values that trapped `train --init` before the config
    /// validated itself.
    static let badInitialModels: [(String, Double, String)] = [
        ("dropout", 1.5, "dropout must be in [0, 1), got 1.5"),
        ("formatVersion", 99, "formatVersion must be 1, got 99"),
        ("layerCount", 1e18, "layerCount must be at most 16, got 1000000000000000000"),
        ("stacking.stride", -1, "stacking.stride must be at least 1, got -1"),
    ]

    @Test(arguments: badInitialModels)
    func trainInitRefusesTheModelBeforeReadingTheData(field: String, value: Double, message: String) throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("bad.safetensors").path
            let json: Any = value == value.rounded() ? Int(value) : value
            try Self.copyModel(Self.tinyModel, to: model, setting: field, to: json)
            let result = try CommandRunner.run(
                "earshot", ["train", "manifest.tsv", "--init", model, "-o", "out.safetensors"],
                currentDirectory: directory, timeout: Self.timeout)
            #expect(!result.timedOut)
            #expect(!result.crashed, "\(result.stderr)")
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("\(model): the config in the metadata is invalid: \(message)"),
                "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.safetensors").path))
        }
    }

    /// (arguments, the message of the usage error).
    static let usageErrors: [([String], String)] = [
        (["train", "x.tsv", "--layers", "0"], "--layers must be at least 1, got 0"),
        (["train", "x.tsv", "--hidden-size", "100000"], "--hidden-size must be at most 4096, got 100000"),
        (["train", "x.tsv", "--dropout", "1"], "--dropout must be in [0, 1), got 1.0"),
        (["train", "x.tsv", "--stack", "0"], "--stack must be at least 1, got 0"),
        (["train", "x.tsv", "--mel-bins", "2"], "--mel-bins must be at least 3, got 2"),
        (["train", "x.tsv", "--batch-size", "0"], "--batch-size must be at least 1, got 0"),
        (["train", "x.tsv", "--epochs", "0"], "--epochs must be at least 1, got 0"),
        (["train", "x.tsv", "--learning-rate", "0"], "--learning-rate must be positive and finite, got 0.0"),
        (["train", "x.tsv", "--max-grad-norm", "0"], "--max-grad-norm must be positive, got 0.0"),
        (["train", "x.tsv", "--speed-factors", "3"], "--speed-factors must be in 0.5…2.0, got 3.0"),
        (["train", "x.tsv", "--freeze-layers=-1"], "--freeze-layers must be at least 0, got -1"),
        (["train", "x.tsv", "--patience=-1"], "--patience must be at least 0, got -1"),
        (["train", "x.tsv", "--chunk-steps", "0"], "--chunk-steps must be at least 1, got 0"),
        (
            ["train", "x.tsv", "--chunk-steps", "4", "--chunked-share", "1.5"],
            "--chunked-share must be in (0, 1], got 1.5"
        ),
        (["eval", "x.tsv", "--chunk-steps", "0"], "--chunk-steps must be at least 1, got 0"),
        (["features", "a.wav", "--num-mel-bins", "1"], "--num-mel-bins must be at least 3, got 1"),
        (
            ["features", "a.wav", "--sample-frequency", "999"],
            "--sample-frequency must be a whole number of Hz in 1000…384000, got 999.0"
        ),
        (["features", "a.wav", "--stack", "0"], "--stack must be at least 1, got 0"),
    ]

    @Test(arguments: usageErrors)
    func valuesOutOfRangeAreUsageErrorsNamingTheFlag(_ arguments: [String], message: String) throws {
        let result = try CommandRunner.run("earshot", arguments, timeout: Self.timeout)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
