import Earshot
import EarshotNN
import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// A checkpoint whose training options, training state or model config cannot be resumed is refused
/// when it is read, naming the file and the field; the trainer refuses the same values when it starts.
@Suite struct CheckpointValidationTests {
    /// A small model's config (10 mel bins, one layer of 4 units), quick to write and read.
    static var smallConfig: AcousticModelConfig {
        var config = AcousticModelConfig()
        config.features.mel.binCount = 10
        config.hiddenSize = 4
        config.layerCount = 1
        return config
    }

    /// Writes a checkpoint of a small model with default options and state to `path`, with the value at
    /// `field` (a dotted path) of the JSON in metadata `key` replaced by `json` (JSON text).
    static func writeCheckpoint(to path: String, editing key: String, setting field: String, to json: String) throws {
        let model = try AcousticModel(config: smallConfig, seed: 1)
        try Checkpoint(model: model, optimizer: Adam(), state: TrainingState(), options: TrainingOptions()).write(
            to: path)
        var (tensors, metadata) = try SafeTensors.read(path: path)
        let object = try JSONSerialization.jsonObject(with: Data(metadata[key]!.utf8))
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let edited = setting(object, at: field.split(separator: ".").map(String.init), to: value)
        metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// `object` (nested JSON dictionaries) with the value at `path` replaced by `value`.
    static func setting(_ object: Any, at path: [String], to value: Any) -> Any {
        var dictionary = object as! [String: Any]
        dictionary[path[0]] =
            path.count == 1
            ? value
            : setting(dictionary[path[0]] ?? [String: Any](), at: Array(path.dropFirst()), to: value)
        return dictionary
    }

    /// The cause of the `TrainingError.checkpoint` reading `path` throws, after checking it names `path`.
    static func checkpointCause(reading path: String) -> String? {
        let error = #expect(throws: TrainingError.self) { try Checkpoint.read(path: path) }
        guard case .checkpoint(let named, let cause)? = error else { return nil }
        #expect(named == path)
        #expect(error?.description.hasPrefix(path + ": ") == true)
        return cause
    }

    /// (where in the options' JSON, the JSON value written there, the start of the message).
    static let badOptions: [(String, String, String)] = [
        ("epochs", "0", "epochs must be at least 1, got 0"),
        ("epochs", "1000000", "epochs must be at most 100000, got 1000000"),
        ("batchSize", "0", "batchSize must be at least 1, got 0"),
        ("batchSize", "-4", "batchSize must be at least 1, got -4"),
        ("batchSize", "100000", "batchSize must be at most 4096, got 100000"),
        ("learningRate", "0", "learningRate must be positive and finite, got 0.0"),
        ("learningRate", "-1", "learningRate must be positive and finite, got -1.0"),
        ("learningRate", "\"nan\"", "learningRate must be positive and finite, got nan"),
        ("learningRate", "\"inf\"", "learningRate must be positive and finite, got inf"),
        ("warmupSteps", "-1", "warmupSteps must be at least 0, got -1"),
        ("warmupSteps", "9223372036854775807", "warmupSteps must be at most 10000000"),
        ("maxGradientNorm", "0", "maxGradientNorm must be positive, got 0.0"),
        ("maxGradientNorm", "\"nan\"", "maxGradientNorm must be positive, got nan"),
        ("patience", "-1", "patience must be at least 0, got -1"),
        ("timeMasks", "-1", "timeMasks must be at least 0, got -1"),
        ("timeMasks", "1000000000", "timeMasks must be at most 100, got 1000000000"),
        ("maxTimeMaskFrames", "-1", "maxTimeMaskFrames must be at least 0, got -1"),
        ("frequencyMasks", "-2", "frequencyMasks must be at least 0, got -2"),
        ("maxFrequencyMaskBins", "-1", "maxFrequencyMaskBins must be at least 0, got -1"),
        ("speedFactors", "[]", "speedFactors must hold 1…16 factors, got 0"),
        ("speedFactors", "[0.9, 3]", "speedFactors must be in 0.5…2.0, got 3.0"),
        ("speedFactors", "[\"nan\"]", "speedFactors must be in 0.5…2.0, got nan"),
        (
            "vocalTractPerturbation.minimumFactor", "0.1",
            "vocalTractPerturbation.minimumFactor must be in 0.5…2.0, got 0.1"
        ),
        (
            "vocalTractPerturbation.maximumFactor", "\"inf\"",
            "vocalTractPerturbation.maximumFactor must be in 0.5…2.0, got inf"
        ),
        (
            "vocalTractPerturbation.minimumFactor", "1.5",
            "vocalTractPerturbation.minimumFactor must not exceed maximumFactor (1.1), got 1.5"
        ),
        ("frozenLayers", "-1", "frozenLayers must be at least 0, got -1"),
        (
            "chunkedTraining", #"{"control": {"chunkSteps": 0, "lookaheadSteps": 2}, "share": 0.5}"#,
            "chunkedTraining.control.chunkSteps must be at least 1, got 0"
        ),
        (
            "chunkedTraining", #"{"control": {"chunkSteps": 1000000, "lookaheadSteps": 2}, "share": 0.5}"#,
            "chunkedTraining.control.chunkSteps must be at most 10000, got 1000000"
        ),
        (
            "chunkedTraining", #"{"control": {"chunkSteps": 4, "lookaheadSteps": -1}, "share": 0.5}"#,
            "chunkedTraining.control.lookaheadSteps must be at least 0, got -1"
        ),
        (
            "chunkedTraining", #"{"control": {"chunkSteps": 4, "lookaheadSteps": 2}, "share": 0}"#,
            "chunkedTraining.share must be in (0, 1], got 0.0"
        ),
        (
            "chunkedTraining", #"{"control": {"chunkSteps": 4, "lookaheadSteps": 2}, "share": 1.5}"#,
            "chunkedTraining.share must be in (0, 1], got 1.5"
        ),
    ]

    @Test(arguments: badOptions)
    func badTrainingOptionsInACheckpointAreRefusedNamingTheFileAndTheField(field: String, json: String, message: String)
        throws
    {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("last.safetensors").path
            try Self.writeCheckpoint(to: path, editing: "training_options", setting: field, to: json)
            let cause = Self.checkpointCause(reading: path) ?? ""
            #expect(cause.hasPrefix("the training options in the metadata are invalid: " + message), "\(cause)")
        }
    }

    /// (the field of the state's JSON, the JSON value written there, the message).
    static let badStates: [(String, String, String)] = [
        ("epoch", "-1", "epoch must be at least 0, got -1"),
        ("batchInEpoch", "-1", "batchInEpoch must be at least 0, got -1"),
        ("step", "-5", "step must be at least 0, got -5"),
        ("epochsWithoutImprovement", "-1", "epochsWithoutImprovement must be at least 0, got -1"),
        ("skippedNonFiniteBatches", "-1", "skippedNonFiniteBatches must be at least 0, got -1"),
        ("skippedImpossibleUtterances", "-1", "skippedImpossibleUtterances must be at least 0, got -1"),
        ("bestCER", "-0.5", "bestCER must be at least 0, got -0.5"),
        ("bestCER", "\"nan\"", "bestCER must be at least 0, got nan"),
    ]

    @Test(arguments: badStates)
    func aBadTrainingStateInACheckpointIsRefusedNamingTheFileAndTheField(field: String, json: String, message: String)
        throws
    {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("last.safetensors").path
            try Self.writeCheckpoint(to: path, editing: "training_state", setting: field, to: json)
            #expect(Self.checkpointCause(reading: path) == "the training state in the metadata is invalid: " + message)
        }
    }

    /// The model in a checkpoint is checked as a model file is: `ModelFileError` naming the checkpoint.
    @Test(arguments: [
        ("layerCount", "-1", "layerCount must be at least 1, got -1"),
        ("stacking.stride", "0", "stacking.stride must be at least 1, got 0"),
        ("dropout", "1.5", "dropout must be in [0, 1), got 1.5"),
    ])
    func aBadModelConfigInACheckpointIsRefusedNamingTheFileAndTheField(field: String, json: String, message: String)
        throws
    {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("last.safetensors").path
            try Self.writeCheckpoint(to: path, editing: "config", setting: field, to: json)
            let error = #expect(throws: ModelFileError.self) { try Checkpoint.read(path: path) }
            #expect(error?.path == path)
            #expect(error?.problems == ["the config in the metadata is invalid: " + message])
        }
    }

    @Test func anUnchangedCheckpointReadsBack() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("last.safetensors").path
            try Self.writeCheckpoint(to: path, editing: "training_options", setting: "epochs", to: "7")
            #expect(try Checkpoint.read(path: path).options.epochs == 7)
        }
    }

    /// The trainer checks the options it is given (not only those read from a checkpoint), and the state
    /// it resumes from, before it computes anything.
    @Test func theTrainerRefusesBadOptionsAndStatesWhenItStarts() throws {
        let entries = try OverfitTests.tinyEntries()
        func trainer(_ options: TrainingOptions, resuming state: TrainingState? = nil) throws -> Trainer {
            let model = try AcousticModel(config: OverfitTests.tinyConfig, seed: 1)
            return try withTemporaryDirectory { directory in
                try Trainer(
                    model: model, training: entries, validation: entries, options: options,
                    checkpointDirectory: directory.path, modelPath: nil,
                    resumingFrom: state.map {
                        Checkpoint(model: model, optimizer: Adam(), state: $0, options: options)
                    },
                    computeNormalizer: true)
            }
        }
        var options = OverfitTests.tinyOptions
        options.batchSize = 0
        #expect(throws: TrainingOptionsError(field: "batchSize", requirement: "must be at least 1, got 0")) {
            try trainer(options)
        }
        options = OverfitTests.tinyOptions
        options.chunkedTraining = .init(control: LatencyControl(chunkSteps: 0, lookaheadSteps: 1), share: 1)
        #expect(
            throws: TrainingOptionsError(
                field: "chunkedTraining.control.chunkSteps", requirement: "must be at least 1, got 0")
        ) {
            try trainer(options)
        }
        var state = TrainingState()
        state.batchInEpoch = -1
        #expect(throws: TrainingStateError(field: "batchInEpoch", requirement: "must be at least 0, got -1")) {
            try trainer(OverfitTests.tinyOptions, resuming: state)
        }
    }
}
