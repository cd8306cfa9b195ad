/// Frame stacking with subsampling: every `stride` frames, `count` consecutive frames are concatenated
/// into one vector, so (T, F) becomes (⌈T / stride⌉, count·F). With `count == stride == 3`, 10 ms
/// frames of 80 mel bins become 30 ms frames of 240 values, which cuts the acoustic model's time steps
/// threefold. A stack that would run past the last frame repeats the last frame (so no frame is
/// dropped and the output length depends only on T).
public struct FrameStacking: Codable, Sendable, Equatable, Hashable {
    /// Frames per output vector. Default 3.
    public var count: Int = 3
    /// Input frames between the starts of consecutive stacks. Default 3 (non-overlapping).
    public var stride: Int = 3

    public init(count: Int = 3, stride: Int = 3) {
        self.count = count
        self.stride = stride
    }

    /// Output frames for `frameCount` input frames: ⌈frameCount / stride⌉.
    public func outputFrameCount(_ frameCount: Int) -> Int {
        (frameCount + stride - 1) / stride
    }

    /// Frames per stack and frames between stacks accepted: 1…32, i.e. up to 320 ms of 10 ms frames per
    /// model step (the default is 3); bounds the size of a stacked vector and of `outputFrameCount`'s sums.
    public static let allowedFrames: ClosedRange<Int> = 1...32

    /// Checks `count` and `stride` are in `allowedFrames`; the error names the field, the range and the value.
    public func validate() throws(FeatureError) {
        for (field, value) in [("count", count), ("stride", stride)] where !Self.allowedFrames.contains(value) {
            let bounds = Self.allowedFrames
            throw .invalidOption(
                field: field,
                requirement: value < bounds.lowerBound
                    ? "must be at least \(bounds.lowerBound), got \(value)"
                    : "must be at most \(bounds.upperBound), got \(value)")
        }
    }

    /// The stacked features, shape (⌈T / stride⌉, count·F): a `FrameStacker` fed every frame at once.
    public func apply(_ features: FeatureMatrix) -> FeatureMatrix {
        var stacker = FrameStacker(stacking: self, dimension: features.dimension)
        var steps = stacker.accept(features)
        steps.append(stacker.finish())
        return steps
    }
}
