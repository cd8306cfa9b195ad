/// Everything that defines Earshot's log-mel filterbank features; Kaldi's `FbankOptions`
/// (`src/feat/feature-fbank.h`) plus the input scale. Stored in model files, so a model always gets
/// the features it was trained on.
public struct FbankOptions: Codable, Sendable, Equatable, Hashable {
    /// Framing, windowing, pre-emphasis.
    public var frame = FrameExtractionOptions()
    /// The mel filterbank.
    public var mel = MelBankOptions()
    /// `--use-energy`: prepend the log energy of the frame as an extra first coefficient. Default false.
    public var useEnergy: Bool = false
    /// `--energy-floor`: floor on that energy (not its log); 0 means no floor. Default 0.
    public var energyFloor: Float = 0
    /// `--raw-energy`: take the energy before pre-emphasis and windowing (true) or after (false).
    /// Default true.
    public var rawEnergy: Bool = true
    /// `--use-log-fbank`: output `log(max(e, FLT_EPSILON))` of each filter energy instead of `e`.
    /// Default true.
    public var useLogFbank: Bool = true
    /// `--use-power`: filter the power spectrum (true) or the magnitude spectrum (false). Default true.
    public var usePower: Bool = true
    /// Samples are multiplied by this before framing. Earshot's audio is in [−1, 1]; Kaldi works on
    /// 16-bit integer values, so the default 32768 makes our features identical to Kaldi's
    /// (it only shifts every log energy by `2 log 32768 ≈ 20.8`).
    public var waveformScale: Float = 32768

    public init() {}

    /// Values per frame: the mel bins, plus one when `useEnergy` is set.
    public var dimension: Int { mel.binCount + (useEnergy ? 1 : 0) }

    /// Checks the options describe features that can be computed; the error names the option by its path
    /// here (`frame.sampleRate`, `mel.binCount`, `energyFloor`, …), what it must be and the value found.
    /// Besides each part's own rules, the filterbank may have at most one filter per FFT bin
    /// (`frame.paddedWindowSize / 2`, 256 by default): more would leave filters empty, and bounds the
    /// filterbank's size.
    public func validate() throws(FeatureError) {
        do { try frame.validate() } catch { throw error.inField("frame") }
        do { try mel.validate(sampleRate: frame.sampleRate) } catch { throw error.inField("mel") }
        let fftBins = frame.paddedWindowSize / 2
        guard mel.binCount <= fftBins else {
            throw .invalidOption(
                field: "mel.binCount",
                requirement:
                    "must be at most \(fftBins) (one filter per FFT bin of a \(frame.paddedWindowSize)-sample frame), got \(mel.binCount)"
            )
        }
        guard energyFloor >= 0 else {
            throw .invalidOption(field: "energyFloor", requirement: "must be at least 0, got \(energyFloor)")
        }
        guard waveformScale > 0, waveformScale.isFinite else {
            throw .invalidOption(
                field: "waveformScale", requirement: "must be positive and finite, got \(waveformScale)")
        }
    }
}
