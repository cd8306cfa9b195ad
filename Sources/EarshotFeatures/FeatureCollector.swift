/// The features of a signal that arrives in blocks (a stream, a file read block by block), gathered into
/// one matrix for a caller that needs them all at the end (a `.npy` file's header holds the row count;
/// utterance normalisation needs every frame), with a stated limit: a signal longer than `frameLimit`
/// frames is refused as soon as it passes it, so memory stays under `frameLimit × dimension` floats (plus
/// one block's frames) however long the input is.
public struct FeatureCollector {
    /// 1,440,000 frames: 4 hours at the default 10 ms frame shift, 461 MB of float32 values at 80 bins.
    public static let defaultFrameLimit = 1_440_000

    /// The most frames gathered.
    public let frameLimit: Int
    private var extractor: OnlineFbank
    /// The frames so far, row-major, (frames, dimension).
    private var values: [Float] = []

    /// - Throws: `FeatureError.invalidOption` for options that cannot describe a frame, or a `frameLimit`
    ///   below 1 (field `frameLimit`).
    public init(options: FbankOptions, frameLimit: Int = defaultFrameLimit) throws(FeatureError) {
        try Self.validate(frameLimit: frameLimit)
        extractor = try OnlineFbank(options: options)
        self.frameLimit = frameLimit
    }

    /// Throws `FeatureError.invalidOption` (field `frameLimit`) unless `frameLimit ≥ 1`.
    public static func validate(frameLimit: Int) throws(FeatureError) {
        guard frameLimit >= 1 else {
            throw .invalidOption(field: "frameLimit", requirement: "must be at least 1, got \(frameLimit)")
        }
    }

    /// Frames gathered so far.
    public var frameCount: Int { extractor.frameCount }

    /// Feeds `samples` (at `options.frame.sampleRate`) and keeps the frames they complete.
    /// - Throws: `FeatureError.tooLong` once the frames pass `frameLimit`; `.nonFiniteSample`.
    public mutating func accept(_ samples: [Float]) throws(FeatureError) {
        _ = try samples.withUnsafeBufferPointer { (buffer) throws(FeatureError) in
            try extractor.accept(buffer, appendingTo: &values)
        }
        try checkLimit()
    }

    /// Ends the signal: the matrix of every frame, (frames, dimension).
    /// - Throws: `FeatureError.tooShort` when the signal held no frame; `.tooLong` when the last frames
    ///   (those past the end, without `snipEdges`) pass the limit.
    public mutating func finish() throws(FeatureError) -> FeatureMatrix {
        extractor.finish(appendingTo: &values)
        try checkLimit()
        let options = extractor.options
        guard extractor.frameCount > 0 else {
            throw .tooShort(
                samples: extractor.sampleCount, minimum: options.frame.windowSize, sampleRate: options.frame.sampleRate)
        }
        return FeatureMatrix(frameCount: extractor.frameCount, dimension: options.dimension, values: values)
    }

    private func checkLimit() throws(FeatureError) {
        guard extractor.frameCount <= frameLimit else {
            throw .tooLong(limit: frameLimit, frameShiftSeconds: extractor.options.frame.frameShiftMs / 1000)
        }
    }
}
