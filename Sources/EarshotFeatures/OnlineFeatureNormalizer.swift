/// Causal per-utterance mean normalisation for streams, as Kaldi's `OnlineCmvn` (`online-feature.cc`,
/// `--cmn-window`, `--global-frames`) estimates it: frame `t` is normalised with the mean of the frames
/// accepted so far, itself included, over at most the last `windowFrames`, blended with the global mean as
/// a prior worth `priorFrames` frames while fewer than that have arrived:
///
///     n = min(t + 1, W),  S = Σ of the last n frames (t − n + 1 … t)
///     mean_t = (S + (P − n) · globalMean) / P   when n < P
///     mean_t = S / n                             otherwise
///     y_t = (x_t − mean_t) · inverseDeviation
///
/// With `FeatureNormalization.global` the estimate is always the global mean (`y = (x − globalMean) ·
/// inverseDeviation`, the offline normalisation). `reset()` starts a new utterance from the prior alone.
/// Sums are kept in double precision over a ring buffer of the window's frames (W · F floats).
public struct OnlineFeatureNormalizer: Sendable {
    public let global: FeatureNormalizer
    public let mode: FeatureNormalization
    /// `W`, frames in the running mean at most. See `StreamingOptions.normalizationWindowFrames`.
    public let windowFrames: Int
    /// `P`, weight of the global mean in frames at the start. See `StreamingOptions.normalizationPriorFrames`.
    public let priorFrames: Int
    /// The window's frames, `(W, F)` as a ring; frame `accepted − n + i` is at row `(accepted − n + i) % W`.
    private var window: [Float]
    private var sum: [Double]
    /// The mean a frame is normalised with now, F values: updated in place by `accept` and `reset`, so the
    /// per-frame path allocates nothing.
    public private(set) var currentMean: [Float]
    /// Frames accepted since the last reset.
    public private(set) var accepted = 0

    public init(global: FeatureNormalizer, mode: FeatureNormalization, windowFrames: Int = 600, priorFrames: Int = 200)
    {
        precondition(windowFrames >= 1 && priorFrames >= 0, "window must be at least 1 frame, prior at least 0")
        self.global = global
        self.mode = mode
        self.windowFrames = windowFrames
        self.priorFrames = priorFrames
        window = mode == .global ? [] : [Float](repeating: 0, count: windowFrames * global.dimension)
        sum = [Double](repeating: 0, count: global.dimension)
        currentMean = global.mean
        updateMean()
    }

    /// Values per frame.
    public var dimension: Int { global.dimension }

    /// Frames in the running mean now, `n`.
    public var windowCount: Int { min(accepted, windowFrames) }

    /// Forgets every frame: the next utterance starts from the global mean.
    public mutating func reset() {
        accepted = 0
        for j in sum.indices { sum[j] = 0 }
        updateMean()
    }

    /// Adds one raw frame (F values) to the running mean (nothing to do in `.global` mode).
    public mutating func accept(_ frame: UnsafeBufferPointer<Float>) {
        precondition(frame.count == dimension, "frame has \(frame.count) values, normalizer \(dimension)")
        guard mode != .global else { accepted += 1; return }
        let f = dimension, row = (accepted % windowFrames) * f
        let full = accepted >= windowFrames
        window.withUnsafeMutableBufferPointer { w in
            for j in 0..<f {
                if full { sum[j] -= Double(w[row + j]) }
                w[row + j] = frame[j]
                sum[j] += Double(frame[j])
            }
        }
        accepted += 1
        updateMean()
    }

    /// `currentMean` from the window's sum and the prior (the formula above); the global mean in `.global` mode.
    private mutating func updateMean() {
        guard mode != .global else { return }
        let n = windowCount
        if n >= priorFrames && n > 0 {
            for j in 0..<dimension { currentMean[j] = Float(sum[j] / Double(n)) }
        } else {
            let p = Double(priorFrames), weight = Double(priorFrames - n)
            for j in 0..<dimension { currentMean[j] = Float((sum[j] + weight * Double(global.mean[j])) / p) }
        }
    }

    /// Normalises `frame` in place with the current estimate (it is not accepted).
    public func normalize(_ frame: UnsafeMutableBufferPointer<Float>) {
        for j in 0..<dimension { frame[j] = (frame[j] - currentMean[j]) * global.inverseDeviation[j] }
    }

    /// Accepts and normalises the frames of `features` (T, F) in order, each with the estimate that
    /// includes it and the frames before it.
    public mutating func apply(to features: inout FeatureMatrix) {
        precondition(
            features.dimension == dimension,
            "features have \(features.dimension) values per frame, normalizer \(dimension)")
        let f = dimension
        for t in 0..<features.frameCount {
            features.values.withUnsafeMutableBufferPointer { x in
                let row = UnsafeMutableBufferPointer(rebasing: x[(t * f)..<((t + 1) * f)])
                accept(UnsafeBufferPointer(row))
                normalize(row)
            }
        }
    }
}
