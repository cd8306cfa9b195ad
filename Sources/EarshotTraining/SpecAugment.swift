import EarshotFeatures
import EarshotNN

/// SpecAugment's masking (Park et al. 2019, without time warping): a few bands of consecutive frames
/// and of consecutive mel bins are set to zero — the mean, since it runs on normalised features — so the
/// model learns not to lean on any one moment or frequency band.
public struct SpecAugment: Sendable {
    public var timeMasks: Int
    public var maxTimeMaskFrames: Int
    public var frequencyMasks: Int
    public var maxFrequencyMaskBins: Int

    public init(options: TrainingOptions) {
        timeMasks = options.timeMasks
        maxTimeMaskFrames = options.maxTimeMaskFrames
        frequencyMasks = options.frequencyMasks
        maxFrequencyMaskBins = options.maxFrequencyMaskBins
    }

    /// Masks `features` (T, F) in place. A time mask covers at most a fifth of the utterance, so
    /// short clips keep most of their frames.
    public func apply(to features: inout FeatureMatrix, generator: inout SeededGenerator) {
        let t = features.frameCount, f = features.dimension
        guard t > 0, f > 0 else { return }
        for _ in 0..<frequencyMasks where maxFrequencyMaskBins > 0 {
            let width = Int.random(in: 0...min(maxFrequencyMaskBins, f - 1), using: &generator)
            let start = Int.random(in: 0...(f - width), using: &generator)
            for frame in 0..<t {
                for j in start..<start + width { features.values[frame * f + j] = 0 }
            }
        }
        for _ in 0..<timeMasks where maxTimeMaskFrames > 0 {
            let width = Int.random(in: 0...min(maxTimeMaskFrames, t / 5), using: &generator)
            let start = Int.random(in: 0...(t - width), using: &generator)
            features.values.replaceSubrange(start * f..<(start + width) * f, with: repeatElement(0, count: width * f))
        }
    }
}
