import EarshotFeatures
import EarshotTestSupport
import Testing

/// The incremental path from samples to model input against the whole-utterance one.
struct ModelInputStageTests {
    /// A normaliser with distinct values per dimension, so a frame normalised in the wrong place shows.
    static let normalizer = FeatureNormalizer(
        mean: (0..<80).map { -8 + Float($0) / 20 }, inverseDeviation: (0..<80).map { 0.5 + Float($0) / 160 })

    static func stage(_ stacking: FrameStacking = FrameStacking(), _ mode: FeatureNormalization = .global) throws
        -> ModelInputStage
    {
        try ModelInputStage(features: FbankOptions(), stacking: stacking, normalization: mode, normalizer: normalizer)
    }

    /// Feeds `samples` in blocks of random sizes (0…`largest`), normalising each batch of steps as it comes
    /// out, as a stream does; returns all the steps.
    static func streamed(_ samples: [Float], stage: ModelInputStage, largest: Int, seed: UInt64) throws
        -> FeatureMatrix
    {
        var stage = stage
        var state = seed  // a linear congruential sequence of block sizes: enough to vary them, reproducibly
        func nextSize() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(largest + 1))
        }
        var result = FeatureMatrix(dimension: stage.stepSize)
        var position = 0
        func take(_ steps: FeatureMatrix) {
            var steps = steps
            stage.normalize(&steps, firstStep: result.frameCount)
            result.append(steps)
        }
        while position < samples.count {
            let size = min(nextSize(), samples.count - position)
            take(try stage.accept(samples: Array(samples[position..<(position + size)])))
            position += size
        }
        take(stage.finish())
        return result
    }

    /// With the global normalisation, a stream fed in blocks of any size yields exactly the whole-utterance
    /// input: the same frames, stacked and normalised alike (bit for bit: the same arithmetic per value).
    @Test(arguments: [(1, 1), (37, 2), (160, 3), (4000, 4), (50_000, 5)] as [(Int, UInt64)])
    func streamInRandomBlocksEqualsTheWholeUtterance(largest: Int, seed: UInt64) throws {
        let samples = seededNoise(count: 16_000 + 123, seed: 7)
        for stacking in [FrameStacking(), FrameStacking(count: 4, stride: 2), FrameStacking(count: 1, stride: 3)] {
            let stage = try Self.stage(stacking)
            let whole = try stage.modelInput(samples: samples)
            #expect(whole.frameCount == stacking.outputFrameCount(98 + 1))
            #expect(try Self.streamed(samples, stage: stage, largest: largest, seed: seed) == whole)
        }
    }

    /// `FrameStacker` fed frames in any blocks returns what stacking all the frames at once would: each step
    /// the frames `o·stride + k`, the last frame repeated past the end.
    @Test(arguments: [FrameStacking(), FrameStacking(count: 5, stride: 2), FrameStacking(count: 2, stride: 4)])
    func stackerMatchesTheDefinition(stacking: FrameStacking) {
        let f = 3, t = 11
        let frames = FeatureMatrix(frameCount: t, dimension: f, values: (0..<(t * f)).map(Float.init))
        var expected: [Float] = []
        for o in 0..<stacking.outputFrameCount(t) {
            for k in 0..<stacking.count { expected += frames[frame: min(o * stacking.stride + k, t - 1)] }
        }
        var stacker = FrameStacker(stacking: stacking, dimension: f)
        var steps = FeatureMatrix(dimension: stacking.count * f)
        for range in [0..<1, 1..<1, 1..<5, 5..<6, 6..<11] {
            steps.append(
                stacker.accept(
                    FeatureMatrix(
                        frameCount: range.count, dimension: f,
                        values: Array(frames.values[(range.lowerBound * f)..<(range.upperBound * f)]))))
        }
        steps.append(stacker.finish())
        #expect(steps.values == expected)
        #expect(stacking.apply(frames).values == expected)
    }

    /// `.utteranceMean` streams follow the utterance's mean causally (from the global prior), so they differ
    /// from the whole-utterance input, which uses the mean of every frame; once more frames than the prior's
    /// 200 have arrived, within the 600-frame window, the running mean is that of every frame so far, so the
    /// last step (4 s in) comes within a frame's share of the whole-utterance mean.
    @Test func utteranceMeanStreamIsCausal() throws {
        let samples = seededNoise(count: 64_000, seed: 9)
        let stage = try Self.stage(FrameStacking(), .utteranceMean)
        let whole = try stage.modelInput(samples: samples)
        let streamed = try Self.streamed(samples, stage: stage, largest: 999, seed: 3)
        #expect(streamed.frameCount == whole.frameCount)
        #expect(streamed != whole)
        let last = (whole.frameCount - 1) * whole.dimension
        #expect(maxAbsoluteDifference(Array(streamed.values[last...]), Array(whole.values[last...])).value < 0.05)
    }

    /// A normaliser for another filterbank size is refused, not trapped on.
    @Test func mismatchedNormalizerIsAnError() {
        #expect(throws: FeatureError.self) {
            try ModelInputStage(
                features: FbankOptions(), stacking: FrameStacking(), normalization: .global,
                normalizer: FeatureNormalizer(dimension: 40))
        }
    }
}
