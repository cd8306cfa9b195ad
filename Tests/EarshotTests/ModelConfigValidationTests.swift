import Earshot
import EarshotNN
import EarshotTestSupport
import Foundation
import Testing

/// A model whose config cannot make a working network is refused where it is loaded or built, with an
/// error naming the field, its value and what it must be — never a trap (division by zero, a range
/// running backwards), a hang or an absurd allocation.
@Suite struct ModelConfigValidationTests {
    /// A small valid model's file contents, to write with a broken config.
    static func smallModelContents() throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        var config = AcousticModelConfig()
        config.features.mel.binCount = 10
        config.hiddenSize = 4
        config.layerCount = 1
        return try AcousticModel(config: config, seed: 1).fileContents()
    }

    /// Writes the small model to `path` with the value at `field` (a dotted path into the config's JSON)
    /// replaced by `json` (JSON text), or removed when `json` is nil.
    static func writeModel(to path: String, setting field: String, to json: String?) throws {
        var (tensors, metadata) = try smallModelContents()
        let config = try JSONSerialization.jsonObject(with: Data(metadata["config"]!.utf8))
        let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let edited = setting(config, at: field.split(separator: ".").map(String.init), to: value)
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// `object` (nested JSON dictionaries) with the value at `path` replaced by `value` (removed when nil).
    static func setting(_ object: Any, at path: [String], to value: Any?) -> Any {
        var dictionary = object as! [String: Any]
        if path.count == 1 {
            dictionary[path[0]] = value
        } else {
            dictionary[path[0]] = setting(dictionary[path[0]]!, at: Array(path.dropFirst()), to: value)
        }
        return dictionary
    }

    /// 300 different letters (Latin Extended and beyond), more than the 255 an alphabet may hold.
    static let tooManyCharacters = String(
        String.UnicodeScalarView((0x100..<0x100 + 300).compactMap(Unicode.Scalar.init)))

    /// (where in the JSON, the JSON value written there or nil to remove it, the start of the message).
    static let badValues: [(String, String?, String)] = [
        ("layerCount", "-1", "layerCount must be at least 1, got -1"),
        ("layerCount", "0", "layerCount must be at least 1, got 0"),
        ("layerCount", "1000000000", "layerCount must be at most 16, got 1000000000"),
        ("hiddenSize", "0", "hiddenSize must be at least 1, got 0"),
        ("hiddenSize", "-3", "hiddenSize must be at least 1, got -3"),
        ("hiddenSize", "1000000", "hiddenSize must be at most 4096, got 1000000"),
        ("stacking.stride", "0", "stacking.stride must be at least 1, got 0"),
        ("stacking.count", "0", "stacking.count must be at least 1, got 0"),
        ("stacking.count", "1000000000", "stacking.count must be at most 32, got 1000000000"),
        ("stacking.stride", "9223372036854775807", "stacking.stride must be at most 32"),
        ("dropout", "1", "dropout must be in [0, 1), got 1.0"),
        ("dropout", "-0.5", "dropout must be in [0, 1), got -0.5"),
        ("formatVersion", "2", "formatVersion must be 1, got 2"),
        ("alphabet.characters", "\"\"", "alphabet must hold at least one character, got none"),
        ("alphabet.characters", "\"abca\"", "alphabet must hold each character once, got 'a' more than once"),
        ("alphabet.characters", "\"\(tooManyCharacters)\"", "alphabet must hold at most 255 characters"),
        (
            "alphabet.characters", "\"ab\\t\"",
            "alphabet must hold no whitespace but the space (the word separator), got U+0009"
        ),
        ("features.mel.binCount", "1", "features.mel.binCount must be at least 3, got 1"),
        ("features.mel.binCount", "100000000", "features.mel.binCount must be at most 256"),
        ("features.frame.sampleRate", "0", "features.frame.sampleRate must be a whole number of Hz in 1000…384000"),
        ("features.frame.sampleRate", "1e300", "features.frame.sampleRate must be a whole number of Hz"),
        ("features.frame.sampleRate", "16000.5", "features.frame.sampleRate must be a whole number of Hz"),
        ("features.frame.frameShiftMs", "0", "features.frame.frameShiftMs must be at least one sample"),
        (
            "features.frame.frameShiftMs", "1e300",
            "features.frame.frameShiftMs must be at least one sample and at most 1000.0 ms"
        ),
        ("features.frame.frameLengthMs", "1e300", "features.frame.frameLengthMs must be at least two samples"),
        ("features.mel.lowFrequency", "9000", "features.mel.lowFrequency must be in [0, 8000.0) Hz"),
        ("features.waveformScale", "0", "features.waveformScale must be positive and finite, got 0.0"),
        ("normalization", "\"per-speaker\"", "normalization must be one of global, utterance-mean, got 'per-speaker'"),
        ("features.frame.windowType", "\"triangle\"", "features.frame.windowType is invalid"),
        ("hiddenSize", "\"big\"", "hiddenSize has the wrong type"),
        ("layerCount", nil, "layerCount is missing"),
        ("cell", "\"rnn\"", "cell must be one of lstm, gru, got 'rnn'"),
        ("cell", "4", "cell has the wrong type"),
        ("peepholes", "\"yes\"", "peepholes has the wrong type"),
    ]

    @Test(arguments: badValues)
    func aModelFileWithABadConfigIsRefusedNamingTheFileAndTheField(field: String, json: String?, message: String) throws
    {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("bad.safetensors").path
            try Self.writeModel(to: path, setting: field, to: json)
            let error = #expect(throws: ModelFileError.self) { try AcousticModel.load(path: path) }
            #expect(error?.path == path)
            #expect(error?.problems.count == 1)
            let problem = error?.problems.first ?? ""
            #expect(problem.hasPrefix("the config in the metadata is invalid: " + message), "\(problem)")
            #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("\(path): the config in the metadata is invalid: "))
        }
    }

    /// The same config, unchanged, loads: the helper breaks only what each case breaks.
    @Test func theUnbrokenSmallModelLoads() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("good.safetensors").path
            let (tensors, metadata) = try Self.smallModelContents()
            try SafeTensors.write(tensors, metadata: metadata, to: path)
            #expect(try AcousticModel.load(path: path).config.hiddenSize == 4)
        }
    }

    /// (the field, a config with it broken): values JSON cannot carry (NaN, infinity) included.
    static let badConfigs: [(String, AcousticModelConfig)] = {
        func broken(_ change: (inout AcousticModelConfig) -> Void) -> AcousticModelConfig {
            var config = AcousticModelConfig()
            change(&config)
            return config
        }
        return [
            ("layerCount", broken { $0.layerCount = -1 }),
            ("hiddenSize", broken { $0.hiddenSize = 0 }),
            ("stacking.stride", broken { $0.stacking.stride = 0 }),
            ("stacking.count", broken { $0.stacking.count = 0 }),
            ("dropout", broken { $0.dropout = .nan }),
            ("dropout", broken { $0.dropout = .infinity }),
            ("features.frame.frameShiftMs", broken { $0.features.frame.frameShiftMs = .infinity }),
            ("features.frame.sampleRate", broken { $0.features.frame.sampleRate = .nan }),
            ("features.mel.binCount", broken { $0.features.mel.binCount = 0 }),
            ("alphabet", broken { $0.alphabet = .init(characters: Array(tooManyCharacters)) }),
            ("formatVersion", broken { $0.formatVersion = 0 }),
            (
                "peepholes",
                broken {
                    $0.cell = .gru
                    $0.peepholes = true
                }
            ),
        ]
    }()

    @Test(arguments: badConfigs)
    func buildingAModelFromABadConfigThrowsNamingTheField(field: String, config: AcousticModelConfig) throws {
        let error = #expect(throws: AcousticModelConfigError.self) { try AcousticModel(config: config, seed: 1) }
        #expect(error?.field == field)
        #expect(error?.description.hasPrefix(field + " must") == true, "\(error.map { "\($0)" } ?? "")")
        let fromParameters = #expect(throws: AcousticModelConfigError.self) {
            try AcousticModel(config: config, normalizer: FeatureNormalizer(dimension: 80), parameters: [:])
        }
        #expect(fromParameters?.field == field)
    }

    @Test func theDefaultConfigIsValid() throws {
        try AcousticModelConfig().validate()
    }
}
