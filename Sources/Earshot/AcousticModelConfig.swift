import EarshotDecoding
import EarshotFeatures
import EarshotNN
import Foundation

/// Everything that defines an acoustic model apart from its weights: stored as JSON in the model file's
/// metadata, so a model always gets the features, stacking and alphabet it was trained with.
///
/// The network: features (T, 80) → normalised (`normalization`: the training set's mean, or the
/// utterance's own, and the training set's deviation) → stacked
/// (3 frames → one 30 ms step of 240 values) → `layerCount` bidirectional recurrent layers (`cell`: LSTM,
/// optionally with `peepholes`, or GRU) of `hiddenSize` units per direction (outputs of both directions
/// concatenated) → Linear to `alphabet.outputCount`
/// → log-softmax. Shapes through the network are (T, B, F).
public struct AcousticModelConfig: Codable, Sendable, Equatable {
    /// Version of the model-file layout this config describes; loading refuses other versions.
    public static let currentFormatVersion = 1

    /// Layout version of the file this came from. Default: `currentFormatVersion`.
    public var formatVersion: Int = currentFormatVersion
    /// The front end. Default: Kaldi-compatible 80-bin log-mel at 16 kHz.
    public var features = FbankOptions()
    /// Frames stacked into one model step. Default: 3 frames, stride 3 (30 ms steps).
    public var stacking = FrameStacking(count: 3, stride: 3)
    /// Units per direction in each LSTM layer. Default 256.
    public var hiddenSize: Int = 256
    /// Bidirectional LSTM layers. Default 3.
    public var layerCount: Int = 3
    /// Dropout probability between LSTM layers during training. Default 0.1.
    public var dropout: Float = 0.1
    /// Output symbols (blank + characters). Default: English, 29 outputs.
    public var alphabet: Alphabet = .english
    /// Which mean the features are normalised with. Default `.global`: every model before this field
    /// existed was trained so, and a config without the field (an older model file) decodes as `.global`.
    public var normalization: FeatureNormalization = .global
    /// The recurrent cell of every layer (`RecurrentCell`). Default `.lstm`: every model before this field
    /// existed is one, and a config without the field decodes as `.lstm`.
    public var cell: RecurrentCell = .lstm
    /// Whether the LSTM cells have peephole connections (`LSTM.Peepholes`); LSTM only. Default false, also
    /// when the field is absent.
    public var peepholes = false

    public init() {}

    /// Largest `hiddenSize` accepted: 4096 units, 16 times the default; a bidirectional layer of it already
    /// holds 140 M (first layer) to 400 M weights (0.6–1.6 GB), so anything larger is a corrupt value.
    public static let maximumHiddenSize = 4096
    /// Largest `layerCount` accepted: 16, five times the default; every layer is allocated with its weights
    /// and workspaces, so a corrupt count must not reach the allocation.
    public static let maximumLayerCount = 16

    /// Checks every field can make a working model; throws naming the first field that cannot:
    /// - `formatVersion`: `currentFormatVersion`;
    /// - `features`: `FbankOptions.validate()` (e.g. `features.mel.binCount` 3…FFT bins,
    ///   `features.frame.sampleRate` a whole number of Hz in 1000…384000);
    /// - `stacking`: `FrameStacking.validate()` (`stacking.count` and `stacking.stride` in 1…32);
    /// - `hiddenSize` in 1…`maximumHiddenSize`, `layerCount` in 1…`maximumLayerCount`;
    /// - `dropout` in [0, 1) (so not NaN);
    /// - `alphabet`: `Alphabet.validate()` (1…255 characters, each once, no whitespace but the space);
    /// - `peepholes` only with `cell` `.lstm`.
    /// `normalization` and `cell` are valid once decoded.
    public func validate() throws(AcousticModelConfigError) {
        guard formatVersion == Self.currentFormatVersion else {
            throw AcousticModelConfigError(
                field: "formatVersion", requirement: "must be \(Self.currentFormatVersion), got \(formatVersion)")
        }
        do { try features.validate() } catch { throw AcousticModelConfigError(error, in: "features") }
        do { try stacking.validate() } catch { throw AcousticModelConfigError(error, in: "stacking") }
        try AcousticModelConfigError.check("hiddenSize", hiddenSize, in: 1...Self.maximumHiddenSize)
        try AcousticModelConfigError.check("layerCount", layerCount, in: 1...Self.maximumLayerCount)
        guard dropout >= 0, dropout < 1 else {
            throw AcousticModelConfigError(field: "dropout", requirement: "must be in [0, 1), got \(dropout)")
        }
        do { try alphabet.validate() } catch { throw AcousticModelConfigError(error) }
        guard !peepholes || cell == .lstm else {
            throw AcousticModelConfigError(
                field: "peepholes",
                requirement: "must be false with cell '\(cell.rawValue)' (peepholes are for the lstm cell only)")
        }
    }

    /// Values per model step: stacked feature vector size (240 by default).
    public var inputSize: Int { stacking.count * features.dimension }
    /// Model outputs per step (29 by default).
    public var outputSize: Int { alphabet.outputCount }
    /// Seconds of audio per model step (0.03 by default).
    public var secondsPerStep: Double { Double(stacking.stride) * features.frame.frameShiftMs / 1000 }
}

extension AcousticModelConfig {
    /// Decodes every field as the synthesised decoder would, except that a missing `normalization` (model
    /// files written before it existed) means `.global`, a missing `cell` `.lstm` and missing `peepholes`
    /// false, so older models load and decode unchanged. An
    /// invalid alphabet or an unknown normalization throws `AcousticModelConfigError` naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        features = try c.decode(FbankOptions.self, forKey: .features)
        stacking = try c.decode(FrameStacking.self, forKey: .stacking)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        dropout = try c.decode(Float.self, forKey: .dropout)
        do {
            alphabet = try c.decode(Alphabet.self, forKey: .alphabet)
        } catch let error as AlphabetError {
            throw AcousticModelConfigError(error)
        }
        let mode = try c.decodeIfPresent(String.self, forKey: .normalization) ?? FeatureNormalization.global.rawValue
        guard let normalization = FeatureNormalization(rawValue: mode) else {
            let known = FeatureNormalization.allCases.map(\.rawValue).joined(separator: ", ")
            throw AcousticModelConfigError(
                field: "normalization", requirement: "must be one of \(known), got '\(mode)'")
        }
        self.normalization = normalization
        let cellName = try c.decodeIfPresent(String.self, forKey: .cell) ?? RecurrentCell.lstm.rawValue
        guard let cell = RecurrentCell(rawValue: cellName) else {
            let known = RecurrentCell.allCases.map(\.rawValue).joined(separator: ", ")
            throw AcousticModelConfigError(field: "cell", requirement: "must be one of \(known), got '\(cellName)'")
        }
        self.cell = cell
        peepholes = try c.decodeIfPresent(Bool.self, forKey: .peepholes) ?? false
    }

    /// The config a model file's metadata holds as JSON, decoded and validated; every failure names the
    /// field (a missing one, a value of the wrong type, one out of range).
    public init(json: String) throws(AcousticModelConfigError) {
        do {
            self = try JSONDecoder().decode(AcousticModelConfig.self, from: Data(json.utf8))
        } catch let error as AcousticModelConfigError {
            throw error
        } catch let error as DecodingError {
            throw AcousticModelConfigError(error)
        } catch {
            throw AcousticModelConfigError(field: "", requirement: "not readable: \(error)")
        }
        try validate()
    }
}
