import EarshotFeatures

/// Mean and variance normalisation of features: `y = (x − mean) · inverseDeviation` per feature
/// dimension, with statistics taken over a training set and stored in the model.
///
/// These global statistics are always kept: with `FeatureNormalization.global` (the default, as DeepSpeech
/// uses) they are the whole normalisation; with `.utteranceMean` the utterance's own mean replaces `mean`
/// (`apply(to:mode:)`), and a stream starts from `mean` as its prior (`OnlineFeatureNormalizer`), while
/// `inverseDeviation` scales in every mode.
public struct FeatureNormalizer: Sendable, Equatable {
    /// Per-dimension mean, F values.
    public var mean: [Float]
    /// Per-dimension `1 / sqrt(variance + floor)`, F values.
    public var inverseDeviation: [Float]

    /// Identity normalisation for `dimension` features.
    public init(dimension: Int) {
        mean = [Float](repeating: 0, count: dimension)
        inverseDeviation = [Float](repeating: 1, count: dimension)
    }

    public init(mean: [Float], inverseDeviation: [Float]) {
        precondition(mean.count == inverseDeviation.count, "mean and deviation sizes differ")
        self.mean = mean
        self.inverseDeviation = inverseDeviation
    }

    /// Values per frame.
    public var dimension: Int { mean.count }

    /// Normalises `features` in place; its dimension must equal `dimension`.
    public func apply(to features: inout FeatureMatrix) {
        precondition(features.dimension == dimension, "features have \(features.dimension) values per frame, normalizer \(dimension)")
        let f = dimension
        mean.withUnsafeBufferPointer { m in
            inverseDeviation.withUnsafeBufferPointer { s in
                features.values.withUnsafeMutableBufferPointer { x in
                    for t in 0..<features.frameCount {
                        let row = x.baseAddress! + t * f
                        for j in 0..<f { row[j] = (row[j] - m[j]) * s[j] }
                    }
                }
            }
        }
    }
}

/// Accumulates per-dimension sums in double precision over any number of utterances, then gives the
/// normaliser. `varianceFloor` (default 1e-2, in squared log-energy units) keeps dimensions that barely
/// vary in the training data from being blown up.
public struct FeatureStatistics: Sendable {
    public private(set) var frameCount = 0
    private var sum: [Double]
    private var sumOfSquares: [Double]

    public init(dimension: Int) {
        sum = [Double](repeating: 0, count: dimension)
        sumOfSquares = [Double](repeating: 0, count: dimension)
    }

    public mutating func add(_ features: FeatureMatrix) {
        precondition(features.dimension == sum.count, "dimension mismatch")
        let f = sum.count
        features.values.withUnsafeBufferPointer { x in
            for t in 0..<features.frameCount {
                for j in 0..<f {
                    let v = Double(x[t * f + j])
                    sum[j] += v
                    sumOfSquares[j] += v * v
                }
            }
        }
        frameCount += features.frameCount
    }

    public func normalizer(varianceFloor: Double = 1e-2) -> FeatureNormalizer {
        guard frameCount > 0 else { return FeatureNormalizer(dimension: sum.count) }
        let n = Double(frameCount)
        let mean = sum.map { $0 / n }
        let inverse = zip(sumOfSquares, mean).map { squares, m in
            Float(1 / (max(squares / n - m * m, 0) + varianceFloor).squareRoot())
        }
        return FeatureNormalizer(mean: mean.map(Float.init), inverseDeviation: inverse)
    }
}
