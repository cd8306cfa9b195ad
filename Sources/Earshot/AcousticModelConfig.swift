import EarshotDecoding
import EarshotFeatures

/// Everything that defines an acoustic model apart from its weights: stored as JSON in the model file's
/// metadata, so a model always gets the features, stacking and alphabet it was trained with.
///
/// The network: features (T, 80) → normalised (`normalization`: the training set's mean, or the
/// utterance's own, and the training set's deviation) → stacked
/// (3 frames → one 30 ms step of 240 values) → `layerCount` bidirectional LSTM layers of `hiddenSize`
/// units per direction (outputs of both directions concatenated) → Linear to `alphabet.outputCount`
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

    public init() {}

    /// Values per model step: stacked feature vector size (240 by default).
    public var inputSize: Int { stacking.count * features.dimension }
    /// Model outputs per step (29 by default).
    public var outputSize: Int { alphabet.outputCount }
    /// Seconds of audio per model step (0.03 by default).
    public var secondsPerStep: Double { Double(stacking.stride) * features.frame.frameShiftMs / 1000 }
}

extension AcousticModelConfig {
    /// Decodes every field as the synthesised decoder would, except that a missing `normalization` (model
    /// files written before it existed) means `.global`, so older models load and decode unchanged.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        features = try c.decode(FbankOptions.self, forKey: .features)
        stacking = try c.decode(FrameStacking.self, forKey: .stacking)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        dropout = try c.decode(Float.self, forKey: .dropout)
        alphabet = try c.decode(Alphabet.self, forKey: .alphabet)
        normalization = try c.decodeIfPresent(FeatureNormalization.self, forKey: .normalization) ?? .global
    }
}
