/// Per-utterance cepstral mean and variance normalisation (Kaldi's `apply-cmvn` with per-utterance
/// stats): each feature column is shifted to mean 0 and, when `normalizeVariance` is set, scaled to
/// standard deviation 1, using the statistics of the utterance itself.
public struct MeanVarianceNormalization: Codable, Sendable, Equatable, Hashable {
    /// Divide by the standard deviation as well as subtracting the mean. Default true.
    public var normalizeVariance: Bool = true
    /// Added to the variance before the square root, so a constant column (e.g. digital silence in
    /// every frame) stays finite. Default 1e-10 (in squared log-energy units).
    public var varianceFloor: Float = 1e-10

    public init(normalizeVariance: Bool = true) {
        self.normalizeVariance = normalizeVariance
    }

    /// Per-column mean and (biased) variance of `features`, F values each, accumulated in double
    /// precision so a long utterance's mean is exact to float precision. Zeros for no frames.
    public static func columnStatistics(of features: FeatureMatrix) -> (mean: [Double], variance: [Double]) {
        var statistics = ColumnStatistics(dimension: features.dimension)
        statistics.add(features)
        return statistics.meanAndVariance
    }

    /// Normalises `features` in place with the statistics of `features` itself.
    public func apply(to features: inout FeatureMatrix) {
        let t = features.frameCount, f = features.dimension
        guard t > 0 else { return }
        let (mean, variance) = Self.columnStatistics(of: features)
        let shift = mean.map(Float.init)
        let scale =
            normalizeVariance
            ? variance.map { Float(1 / ($0 + Double(varianceFloor)).squareRoot()) }
            : [Float](repeating: 1, count: f)
        features.values.withUnsafeMutableBufferPointer { x in
            for frame in 0..<t {
                for j in 0..<f { x[frame * f + j] = (x[frame * f + j] - shift[j]) * scale[j] }
            }
        }
    }
}
