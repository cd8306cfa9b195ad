/// Features of one utterance: `frameCount` rows of `dimension` values, row-major, shape (T, F).
public struct FeatureMatrix: Sendable, Equatable {
    /// T: number of frames.
    public var frameCount: Int
    /// F: values per frame.
    public var dimension: Int
    /// `frameCount × dimension` values; frame `t` is `values[t·F ..< (t+1)·F]`.
    public var values: [Float]

    public init(frameCount: Int, dimension: Int, values: [Float]) {
        precondition(values.count == frameCount * dimension, "values must hold frameCount × dimension floats")
        self.frameCount = frameCount
        self.dimension = dimension
        self.values = values
    }

    /// An empty matrix of `dimension` columns.
    public init(dimension: Int) {
        self.init(frameCount: 0, dimension: dimension, values: [])
    }

    /// The values of frame `t`.
    public subscript(frame t: Int) -> ArraySlice<Float> {
        values[t * dimension..<(t + 1) * dimension]
    }

    /// Appends the frames of `other`, which must have the same dimension.
    public mutating func append(_ other: FeatureMatrix) {
        precondition(other.dimension == dimension, "dimension mismatch: \(other.dimension) vs \(dimension)")
        values += other.values
        frameCount += other.frameCount
    }
}
