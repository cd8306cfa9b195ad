import ArgumentParser
import EarshotFeatures

extension WindowType: ExpressibleByArgument {}

/// The filterbank's options on the command line, under Kaldi's option names; every default is read
/// from `FbankOptions()`, so the help text cannot drift from the library.
struct FbankOptionGroup: ParsableArguments {
    private static let defaults = FbankOptions()

    @Option(name: .customLong("sample-frequency"), help: "Rate the audio is resampled to before framing, in Hz.")
    var sampleRate: Double = defaults.frame.sampleRate

    @Option(name: .customLong("num-mel-bins"), help: "Number of triangular mel filters.")
    var melBins: Int = defaults.mel.binCount

    @Option(name: .customLong("frame-length"), help: "Frame length in milliseconds.")
    var frameLength: Double = defaults.frame.frameLengthMs

    @Option(name: .customLong("frame-shift"), help: "Frame shift in milliseconds.")
    var frameShift: Double = defaults.frame.frameShiftMs

    @Option(name: .customLong("low-freq"), help: "Low edge of the first mel filter, in Hz.")
    var lowFrequency: Double = defaults.mel.lowFrequency

    @Option(
        name: .customLong("high-freq"),
        help: "High edge of the last mel filter in Hz; ≤ 0 is an offset from the Nyquist frequency.")
    var highFrequency: Double = defaults.mel.highFrequency

    @Option(
        name: .customLong("window-type"),
        help: "Analysis window applied after pre-emphasis.")
    var windowType: WindowType = defaults.frame.windowType

    @Option(name: .customLong("preemphasis-coefficient"), help: "Pre-emphasis coefficient k in x[i] − k·x[i−1].")
    var preemphasis: Float = defaults.frame.preemphasisCoefficient

    @Option(
        name: .customLong("dither"),
        help: "Standard deviation of Gaussian dither, in 16-bit sample units; 0 turns it off.")
    var dither: Float = defaults.frame.dither

    @Option(name: .customLong("dither-seed"), help: "Seed of the dither noise (same seed, same features).")
    var ditherSeed: UInt64 = defaults.frame.ditherSeed

    @Flag(name: .customLong("remove-dc-offset"), inversion: .prefixedNo, help: "Subtract each frame's mean.")
    var removeDCOffset: Bool = defaults.frame.removeDCOffset

    @Flag(
        name: .customLong("snip-edges"), inversion: .prefixedNo,
        help: "Keep only frames that fit in the signal (else centre frames and reflect at the edges).")
    var snipEdges: Bool = defaults.frame.snipEdges

    @Flag(
        name: .customLong("round-to-power-of-two"), inversion: .prefixedNo,
        help: "Zero-pad each frame to a power of two before the FFT.")
    var roundToPowerOfTwo: Bool = defaults.frame.roundToPowerOfTwo

    @Flag(
        name: .customLong("use-energy"), inversion: .prefixedNo,
        help: "Prepend the frame's log energy as an extra first value.")
    var useEnergy: Bool = defaults.useEnergy

    @Option(name: .customLong("energy-floor"), help: "Floor on the energy (not its log) when --use-energy; 0: none.")
    var energyFloor: Float = defaults.energyFloor

    @Flag(
        name: .customLong("raw-energy"), inversion: .prefixedNo,
        help: "Take the energy before pre-emphasis and windowing.")
    var rawEnergy: Bool = defaults.rawEnergy

    @Flag(
        name: .customLong("use-log-fbank"), inversion: .prefixedNo,
        help: "Output log filter energies (else linear).")
    var useLogFbank: Bool = defaults.useLogFbank

    @Flag(
        name: .customLong("use-power"), inversion: .prefixedNo,
        help: "Filter the power spectrum (else the magnitude spectrum).")
    var usePower: Bool = defaults.usePower

    /// The library options these flags describe.
    var options: FbankOptions {
        var o = FbankOptions()
        o.frame.sampleRate = sampleRate
        o.frame.frameLengthMs = frameLength
        o.frame.frameShiftMs = frameShift
        o.frame.windowType = windowType
        o.frame.preemphasisCoefficient = preemphasis
        o.frame.dither = dither
        o.frame.ditherSeed = ditherSeed
        o.frame.removeDCOffset = removeDCOffset
        o.frame.snipEdges = snipEdges
        o.frame.roundToPowerOfTwo = roundToPowerOfTwo
        o.mel.binCount = melBins
        o.mel.lowFrequency = lowFrequency
        o.mel.highFrequency = highFrequency
        o.useEnergy = useEnergy
        o.energyFloor = energyFloor
        o.rawEnergy = rawEnergy
        o.useLogFbank = useLogFbank
        o.usePower = usePower
        return o
    }

    /// The flag of each option `FbankOptions.validate()` checks.
    static let flags = FlagNames([
        "frame.sampleRate": "--sample-frequency", "frame.frameLengthMs": "--frame-length",
        "frame.frameShiftMs": "--frame-shift", "frame.dither": "--dither",
        "frame.preemphasisCoefficient": "--preemphasis-coefficient", "mel.binCount": "--num-mel-bins",
        "mel.lowFrequency": "--low-freq", "mel.highFrequency": "--high-freq", "energyFloor": "--energy-floor",
    ])

    func validate() throws {
        try Self.flags.usageErrors { try options.validate() }
    }
}
