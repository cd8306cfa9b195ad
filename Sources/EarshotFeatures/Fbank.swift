/// The offline filterbank extractor: all frames of a whole signal at once. It runs the same
/// per-frame computer as `OnlineFbank` (it is one chunk fed to it), so the two agree exactly.
public struct Fbank: Sendable {
    public let options: FbankOptions

    /// - Throws: `FeatureError.invalidOption` when the options cannot describe a frame.
    public init(options: FbankOptions = FbankOptions()) throws(FeatureError) {
        try options.validate()
        self.options = options
    }

    /// Features of `samples` (in [−1, 1] at `options.frame.sampleRate`), shape (T, F).
    /// - Throws: `FeatureError.tooShort` when not even one frame fits, `.nonFiniteSample` for NaN/Inf.
    public func compute(_ samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        let frames = options.frame.frameCount(sampleCount: samples.count)
        guard frames > 0 else {
            throw .tooShort(
                samples: samples.count, minimum: options.frame.windowSize,
                sampleRate: options.frame.sampleRate)
        }
        var extractor = try OnlineFbank(options: options)
        var values: [Float] = []
        values.reserveCapacity(frames * options.dimension)
        _ = try samples.withUnsafeBufferPointer { (buffer) throws(FeatureError) in
            try extractor.accept(buffer, appendingTo: &values)
        }
        extractor.finish(appendingTo: &values)
        return FeatureMatrix(frameCount: frames, dimension: options.dimension, values: values)
    }
}
