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
        precondition(
            features.dimension == dimension,
            "features have \(features.dimension) values per frame, normalizer \(dimension)")
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

/// Accumulates per-dimension statistics (`ColumnStatistics`) over any number of utterances, then gives the
/// normaliser. `varianceFloor` (default 1e-2, in squared log-energy units) keeps dimensions that barely
/// vary in the training data from being blown up.
public struct FeatureStatistics: Sendable {
    private var columns: ColumnStatistics

    public init(dimension: Int) {
        columns = ColumnStatistics(dimension: dimension)
    }

    /// Statistics from `ColumnStatistics.packedSums` (e.g. summed over processes).
    public init(packedSums: [Double]) {
        columns = ColumnStatistics(packedSums: packedSums)
    }

    /// The sums behind the statistics (`ColumnStatistics.packedSums`), `1 + 2F` doubles.
    public var packedSums: [Double] { columns.packedSums }

    /// Frames added.
    public var frameCount: Int { columns.frameCount }

    public mutating func add(_ features: FeatureMatrix) {
        columns.add(features)
    }

    public func normalizer(varianceFloor: Double = 1e-2) -> FeatureNormalizer {
        guard frameCount > 0 else { return FeatureNormalizer(dimension: columns.dimension) }
        let (mean, variance) = columns.meanAndVariance
        let inverse = variance.map { Float(1 / ($0 + varianceFloor).squareRoot()) }
        return FeatureNormalizer(mean: mean.map(Float.init), inverseDeviation: inverse)
    }
}
