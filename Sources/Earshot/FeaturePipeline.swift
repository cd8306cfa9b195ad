import EarshotAudio
import EarshotFeatures

/// Audio → the model's input: log-mel filterbank, normalisation (`config.normalization`, over the whole
/// utterance given), frame stacking.
/// Shapes: samples at `config.features.frame.sampleRate` → (T, 80) → (⌈T/3⌉, 240).
public struct FeaturePipeline: Sendable {
    public let config: AcousticModelConfig
    public let normalizer: FeatureNormalizer
    private let fbank: Fbank

    /// Throws unless `config`'s features and stacking are valid.
    public init(config: AcousticModelConfig, normalizer: FeatureNormalizer) throws(FeatureError) {
        do { try config.stacking.validate() } catch { throw error.inField("stacking") }
        self.config = config
        self.normalizer = normalizer
        fbank = try Fbank(options: config.features)
    }

    /// Sample rate the pipeline expects, in Hz.
    public var sampleRate: Int { Int(config.features.frame.sampleRate) }

    /// Log-mel features of `samples` (already at `sampleRate`), not yet normalised: (T, F).
    public func filterbank(_ samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        try fbank.compute(samples)
    }

    /// Normalised and stacked model input from raw filterbank features: (⌈T/stride⌉, inputSize).
    public func modelInput(fromFilterbank features: FeatureMatrix) -> FeatureMatrix {
        var normalized = features
        normalizer.apply(to: &normalized, mode: config.normalization)
        return config.stacking.apply(normalized)
    }

    /// Model input for `samples` at `sampleRate`.
    public func modelInput(_ samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        modelInput(fromFilterbank: try filterbank(samples))
    }
}
