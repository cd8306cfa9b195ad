/// Where the mean subtracted from a model's features comes from; stored in `AcousticModelConfig`.
///
/// Every mode scales by the training set's global inverse deviation (`FeatureNormalizer.inverseDeviation`),
/// so the variance the network saw in training is kept; only the mean differs. A per-utterance mean removes
/// what a voice or a channel adds to every frame of a log-mel spectrum (a microphone's or a telephone line's
/// frequency response, loudness, part of a vocal tract's colour), which a global mean leaves in.
public enum FeatureNormalization: String, Codable, Sendable, Equatable, CaseIterable {
    /// `y = (x − globalMean) · inverseDeviation`: the training set's mean (as models before this option).
    case global
    /// `y = (x − utteranceMean) · inverseDeviation`. Files and training: the mean of the whole utterance
    /// (a segment of a long file); streams: a causal running estimate (`OnlineFeatureNormalizer`) that starts
    /// from the global mean.
    case utteranceMean = "utterance-mean"
}

extension FeatureNormalizer {
    /// Normalises a whole utterance `features` (T, F) in place as `mode` says; for `.utteranceMean` the mean
    /// is that of `features` itself (`MeanVarianceNormalization.columnStatistics`).
    public func apply(to features: inout FeatureMatrix, mode: FeatureNormalization) {
        switch mode {
        case .global:
            apply(to: &features)
        case .utteranceMean:
            guard features.frameCount > 0 else { return }
            let mean = MeanVarianceNormalization.columnStatistics(of: features).mean.map(Float.init)
            FeatureNormalizer(mean: mean, inverseDeviation: inverseDeviation).apply(to: &features)
        }
    }
}
