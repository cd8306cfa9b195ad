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

    public func validate() throws(FeatureError) {
        try frame.validate()
        try mel.validate(sampleRate: frame.sampleRate)
        guard energyFloor >= 0 else { throw .invalidOption("energy floor must be ≥ 0, got \(energyFloor)") }
        guard waveformScale > 0, waveformScale.isFinite else {
            throw .invalidOption("waveform scale must be positive, got \(waveformScale)")
        }
    }
}
