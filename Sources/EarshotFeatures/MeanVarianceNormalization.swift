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

    /// Normalises `features` in place. Statistics are accumulated in double precision, so a long
    /// utterance's mean is exact to float precision.
    public func apply(to features: inout FeatureMatrix) {
        let t = features.frameCount, f = features.dimension
        guard t > 0 else { return }
        var sum = [Double](repeating: 0, count: f), sumSquares = [Double](repeating: 0, count: f)
        features.values.withUnsafeBufferPointer { x in
            for frame in 0..<t {
                for j in 0..<f {
                    let v = Double(x[frame * f + j])
                    sum[j] += v
                    sumSquares[j] += v * v
                }
            }
        }
        var shift = [Float](repeating: 0, count: f), scale = [Float](repeating: 1, count: f)
        for j in 0..<f {
            let mean = sum[j] / Double(t)
            shift[j] = Float(mean)
            if normalizeVariance {
                let variance = max(sumSquares[j] / Double(t) - mean * mean, 0)
                scale[j] = Float(1 / (variance + Double(varianceFloor)).squareRoot())
            }
        }
        features.values.withUnsafeMutableBufferPointer { x in
            for frame in 0..<t {
                for j in 0..<f { x[frame * f + j] = (x[frame * f + j] - shift[j]) * scale[j] }
            }
        }
    }
}
