import EarshotDecoding
import EarshotFeatures

/// Everything that defines an acoustic model apart from its weights: stored as JSON in the model file's
/// metadata, so a model always gets the features, stacking and alphabet it was trained with.
///
/// The network: features (T, 80) → normalised with the training set's mean and deviation → stacked
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

    public init() {}

    /// Values per model step: stacked feature vector size (240 by default).
    public var inputSize: Int { stacking.count * features.dimension }
    /// Model outputs per step (29 by default).
    public var outputSize: Int { alphabet.outputCount }
    /// Seconds of audio per model step (0.03 by default).
    public var secondsPerStep: Double { Double(stacking.stride) * features.frame.frameShiftMs / 1000 }
}
