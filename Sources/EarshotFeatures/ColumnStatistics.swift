/// Per-column sums of features over any number of frames (one utterance or a whole training set), in
/// double precision so that the mean of millions of frames is exact to float precision: the statistics
/// behind `MeanVarianceNormalization` (one utterance's) and `FeatureStatistics` (a training set's).
public struct ColumnStatistics: Sendable {
    /// Frames added.
    public private(set) var frameCount = 0
    private var sum: [Double]
    private var sumOfSquares: [Double]

    /// No frames yet, `dimension` values per frame.
    public init(dimension: Int) {
        sum = [Double](repeating: 0, count: dimension)
        sumOfSquares = [Double](repeating: 0, count: dimension)
    }

    /// The statistics as `1 + 2F` doubles: the frame count, the F column sums, the F sums of squares.
    /// Adding the packed sums of several statistics element-wise (e.g. over processes that each saw part of
    /// a training set) gives the packed sums of all their frames.
    public var packedSums: [Double] { [Double(frameCount)] + sum + sumOfSquares }

    /// Statistics from `packedSums` (`1 + 2F` values, the frame count a whole number).
    public init(packedSums: [Double]) {
        precondition(packedSums.count % 2 == 1, "packed sums hold 1 + 2F values, got \(packedSums.count)")
        let f = packedSums.count / 2
        frameCount = Int(packedSums[0])
        sum = Array(packedSums[1...f])
        sumOfSquares = Array(packedSums[(f + 1)...])
    }

    /// Values per frame.
    public var dimension: Int { sum.count }

    /// Adds every frame of `features` (T, F); F must equal `dimension`.
    public mutating func add(_ features: FeatureMatrix) {
        precondition(
            features.dimension == dimension,
            "features have \(features.dimension) values per frame, statistics \(dimension)")
        let f = dimension
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

    /// Per-column mean and biased variance (`E[x²] − E[x]²`, never negative), F values each; zeros when no
    /// frame was added.
    public var meanAndVariance: (mean: [Double], variance: [Double]) {
        guard frameCount > 0 else { return (sum.map { _ in 0 }, sum.map { _ in 0 }) }
        let n = Double(frameCount)
        let mean = sum.map { $0 / n }
        let variance = zip(sumOfSquares, mean).map { squares, m in max(squares / n - m * m, 0) }
        return (mean, variance)
    }
}
