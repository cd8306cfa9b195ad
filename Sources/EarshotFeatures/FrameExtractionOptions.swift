/// How a waveform is cut into overlapping, windowed frames. Kaldi's `FrameExtractionOptions`
/// (`src/feat/feature-window.h`); each property names the Kaldi option it mirrors, and every default
/// is Kaldi's except `dither` (0 here, as in torchaudio, so features are deterministic by default).
public struct FrameExtractionOptions: Codable, Sendable, Equatable, Hashable {
    /// `--sample-frequency`: sampling rate of the input, in Hz. Default 16000.
    public var sampleRate: Double = 16000
    /// `--frame-shift`: distance between the starts of consecutive frames, in milliseconds. Default 10.
    public var frameShiftMs: Double = 10
    /// `--frame-length`: length of one frame, in milliseconds. Default 25.
    public var frameLengthMs: Double = 25
    /// `--dither`: standard deviation of Gaussian noise added to every sample (in the scale of
    /// `FbankOptions.waveformScale`, i.e. 16-bit units) before anything else. 0 turns it off.
    /// Default 0 (Kaldi's is 1; torchaudio's is 0).
    public var dither: Float = 0
    /// Seed of the dither noise (Earshot's own option: Kaldi seeds from its global RNG). The same seed
    /// gives the same features, offline or streaming. Default 0.
    public var ditherSeed: UInt64 = 0
    /// `--preemphasis-coefficient`: `x[i] -= k · x[i-1]` within each frame. Default 0.97.
    public var preemphasisCoefficient: Float = 0.97
    /// `--remove-dc-offset`: subtract each frame's mean before pre-emphasis. Default true.
    public var removeDCOffset: Bool = true
    /// `--window-type`: the window applied after pre-emphasis. Default `.povey`.
    public var windowType: WindowType = .povey
    /// `--round-to-power-of-two`: zero-pad each frame to the next power of two before the FFT.
    /// Default true (a 400-sample frame becomes 512).
    public var roundToPowerOfTwo: Bool = true
    /// `--blackman-coeff`: the constant of the generalised Blackman window. Default 0.42.
    public var blackmanCoefficient: Double = 0.42
    /// `--snip-edges`: true keeps only frames that fit entirely in the signal (frame `t` starts at
    /// sample `t · shift`); false centres frame `t` on `t · shift + shift/2` and reflects the signal at
    /// both ends, giving `round(samples / shift)` frames. Default true.
    public var snipEdges: Bool = true

    public init() {}

    /// Samples between the starts of consecutive frames (Kaldi's `WindowShift()`): 160 at 16 kHz.
    public var windowShift: Int { Int(sampleRate * 0.001 * frameShiftMs) }
    /// Samples in one frame (Kaldi's `WindowSize()`): 400 at 16 kHz.
    public var windowSize: Int { Int(sampleRate * 0.001 * frameLengthMs) }
    /// Length of the FFT input (Kaldi's `PaddedWindowSize()`): 512 at 16 kHz.
    public var paddedWindowSize: Int {
        roundToPowerOfTwo ? Self.nextPowerOfTwo(windowSize) : windowSize
    }

    static func nextPowerOfTwo(_ n: Int) -> Int {
        var p = 1
        while p < n { p <<= 1 }
        return p
    }

    /// The number of whole frames in `sampleCount` samples (Kaldi's `NumFrames`).
    /// - Parameter flush: with `snipEdges == false`, whether the signal has ended (so frames may
    ///   reach past its end by reflection). Ignored when `snipEdges` is true.
    public func frameCount(sampleCount: Int, flush: Bool = true) -> Int {
        let shift = windowShift, size = windowSize
        if snipEdges {
            return sampleCount < size ? 0 : 1 + (sampleCount - size) / shift
        }
        var count = (sampleCount + shift / 2) / shift
        if flush { return count }
        // Without flushing, only frames that end inside what we have so far.
        var end = firstSample(ofFrame: count - 1) + size
        while count > 0 && end > sampleCount {
            count -= 1
            end -= shift
        }
        return count
    }

    /// The index of the first sample of frame `frame` (Kaldi's `FirstSampleOfFrame`); negative for the
    /// first frame when `snipEdges` is false.
    public func firstSample(ofFrame frame: Int) -> Int {
        let shift = windowShift
        if snipEdges { return frame * shift }
        return shift * frame + shift / 2 - windowSize / 2
    }

    /// Sample rates accepted, in Hz, whole numbers only: the rates audio is read at
    /// (`AudioFile.supportedSampleRates`); the front end and the resampler count samples in whole Hz.
    public static let allowedSampleRates: ClosedRange<Int> = 1000...384_000
    /// Longest frame shift and frame length accepted, in milliseconds: a second is far beyond any
    /// short-time analysis (the defaults are 10 and 25 ms), and bounds the samples a frame holds.
    public static let maximumFrameMs: Double = 1000

    /// Checks the options describe frames that can be computed; the error names the option
    /// (`sampleRate`, `frameShiftMs`, …), what it must be and the value found. Values are checked before
    /// anything is computed from them, so no value traps.
    public func validate() throws(FeatureError) {
        let rates = Self.allowedSampleRates
        guard sampleRate.rounded() == sampleRate,
            sampleRate >= Double(rates.lowerBound), sampleRate <= Double(rates.upperBound)
        else {
            throw .invalidOption(
                field: "sampleRate",
                requirement:
                    "must be a whole number of Hz in \(rates.lowerBound)…\(rates.upperBound), got \(sampleRate)")
        }
        guard frameShiftMs > 0, frameShiftMs <= Self.maximumFrameMs, windowShift >= 1 else {
            throw .invalidOption(
                field: "frameShiftMs",
                requirement: "must be at least one sample and at most \(Self.maximumFrameMs) ms, got \(frameShiftMs) ms"
            )
        }
        guard frameLengthMs > 0, frameLengthMs <= Self.maximumFrameMs, windowSize >= 2 else {
            throw .invalidOption(
                field: "frameLengthMs",
                requirement:
                    "must be at least two samples and at most \(Self.maximumFrameMs) ms, got \(frameLengthMs) ms")
        }
        guard dither >= 0, dither.isFinite else {
            throw .invalidOption(field: "dither", requirement: "must be finite and at least 0, got \(dither)")
        }
        guard preemphasisCoefficient >= 0, preemphasisCoefficient <= 1 else {
            throw .invalidOption(
                field: "preemphasisCoefficient", requirement: "must be in [0, 1], got \(preemphasisCoefficient)")
        }
    }
}
