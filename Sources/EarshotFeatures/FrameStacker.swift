/// `FrameStacking` over a stream of frames: frames arrive in blocks of any size, and each stacked step is
/// returned as soon as its `count` frames have all arrived; `finish` returns the last steps, repeating the
/// last frame as the whole-utterance stacking does. Fed every frame, in any blocks, it returns exactly what
/// `FrameStacking.apply` returns for all of them at once (which is this, fed one block).
///
/// Holds only the frames a later step still needs (`count` frames at most with the default stride).
public struct FrameStacker: Sendable {
    public let stacking: FrameStacking
    /// `F`, values per frame.
    public let dimension: Int
    /// Frames received, not yet dropped, `(n, F)`; row 0 is frame `firstHeldFrame` of the stream.
    private var frames: [Float] = []
    private var firstHeldFrame = 0
    /// Frames received so far.
    public private(set) var frameCount = 0
    /// Steps returned so far: the next step's index.
    public private(set) var stepCount = 0

    /// - Parameter dimension: `F`, values per frame; a step has `stacking.count · F`.
    public init(stacking: FrameStacking, dimension: Int) {
        precondition(
            stacking.count >= 1 && stacking.stride >= 1 && dimension >= 1,
            "frame stacking needs count, stride and dimension ≥ 1")
        self.stacking = stacking
        self.dimension = dimension
    }

    /// Values per step, `count · F`.
    public var stepSize: Int { stacking.count * dimension }

    /// The frame of the stream stacked into slot `slot` of step `step`: frame `step · stride + slot`, or the
    /// last frame received when that lies beyond it (the end of the stream).
    public func frameIndex(step: Int, slot: Int) -> Int { min(step * stacking.stride + slot, frameCount - 1) }

    /// Appends `frames` `(n, F)` and returns the steps `(m, count·F)` whose frames have now all arrived.
    public mutating func accept(_ new: FeatureMatrix) -> FeatureMatrix {
        precondition(new.dimension == dimension, "frames have \(new.dimension) values, stacker \(dimension)")
        frames += new.values
        frameCount += new.frameCount
        return stackSteps(flush: false)
    }

    /// Ends the stream: every step of `FrameStacking.outputFrameCount(frameCount)` not yet returned.
    public mutating func finish() -> FeatureMatrix {
        stackSteps(flush: true)
    }

    /// Stacks the steps from `stepCount` on whose frames have all arrived (`flush`: every step that starts
    /// at a frame received), then drops the frames no later step reads.
    private mutating func stackSteps(flush: Bool) -> FeatureMatrix {
        let f = dimension, size = stepSize
        var steps: [Float] = []
        var n = 0
        while flush
            ? stepCount * stacking.stride < frameCount : stepCount * stacking.stride + stacking.count <= frameCount
        {
            steps.append(contentsOf: repeatElement(0, count: size))
            frames.withUnsafeBufferPointer { x in
                steps.withUnsafeMutableBufferPointer { y in
                    for slot in 0..<stacking.count {
                        let source = frameIndex(step: stepCount, slot: slot) - firstHeldFrame
                        (y.baseAddress! + n * size + slot * f).update(from: x.baseAddress! + source * f, count: f)
                    }
                }
            }
            stepCount += 1
            n += 1
        }
        let keepFrom = min(stepCount * stacking.stride, frameCount)
        if keepFrom > firstHeldFrame {
            frames.removeFirst((keepFrom - firstHeldFrame) * f)
            firstHeldFrame = keepFrom
        }
        return FeatureMatrix(frameCount: n, dimension: size, values: steps)
    }
}
