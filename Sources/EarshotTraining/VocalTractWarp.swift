import EarshotFeatures
import Foundation

/// One vocal-tract-length warp of log-mel features (Jaitly & Hinton 2013), applied to features
/// already computed: output mel bin `b` takes the input spectrum at the warped frequency `W(f_b)`.
///
/// - `f_b` is bin `b`'s centre: `mel(f_b) = mel(L) + (b + 1)·Δ`, `Δ = (mel(H) − mel(L)) / (bins + 1)`,
///   `mel(f) = 1127 ln(1 + f/700)`, with `L`, `H` the mel bank's low and high frequencies (Hz), as in
///   `MelBank`.
/// - `W` is Kaldi's piecewise-linear `VtlnWarpFreq` (`src/feat/mel-computations.cc`) for the factor α,
///   which reads frequency `f/α` in the middle of the band `[F₀, F₁]` and keeps its ends fixed:
///
///       l = l₀·max(α, 1),  h = h₀·min(α, 1)
///       W(f) = F₀ + (l/α − F₀)/(l − F₀) · (f − F₀)     for F₀ ≤ f < l
///       W(f) = f/α                                     for l ≤ f < h
///       W(f) = F₁ + (F₁ − h/α)/(F₁ − h) · (f − F₁)     for h ≤ f ≤ F₁
///
///   Kaldi warps the filters' edges, so its fixed ends are the bank's `L` and `H`; features only hold
///   the bins' centres, so here the fixed ends are the outermost centres `F₀ = f_0` and `F₁ = f_{bins−1}`,
///   and the first and last bins are kept exactly. The inner cutoffs `l₀ = F₀ + 80 Hz` and
///   `h₀ = F₁ − 500 Hz` are Kaldi's defaults (`--vtln-low 100`, `--vtln-high -500`, for its band 20 Hz…
///   Nyquist) taken relative to the ends, so any band works.
///   α > 1 reads lower frequencies, moving the spectrum's features up (a shorter vocal tract).
/// - The warped frequency becomes a fractional bin position `p_b = (mel(W(f_b)) − mel(L))/Δ − 1`,
///   clamped to `[0, bins − 1]`, and the output is the linear interpolation between the two
///   neighbouring input bins: `out[b] = (1 − w)·in[⌊p_b⌋] + w·in[⌊p_b⌋ + 1]`, `w = p_b − ⌊p_b⌋`
///   (computed as `in[⌊p_b⌋] + w·(in[⌊p_b⌋ + 1] − in[⌊p_b⌋])`, so equal neighbours are read exactly).
///
/// Interpolating log energies rather than re-filtering the power spectrum is the usual approximation
/// when features are cached: it is exact for bins the warp maps onto bins, and smooth in between.
/// Positions and weights are computed once per warp (one per bin); applying allocates one output
/// buffer per utterance and nothing per frame. α = 1 returns the features unchanged, bit for bit.
public struct VocalTractWarp: Sendable {
    /// The warp factor α (dimensionless).
    public let factor: Double
    /// Per mel bin, the lower input bin it reads, `⌊p_b⌋` (at most `bins − 2`).
    public let sourceBins: [Int]
    /// Per mel bin, the weight `w` of the upper input bin `⌊p_b⌋ + 1`, in [0, 1].
    public let upperWeights: [Float]
    /// Column of the first mel bin: 1 when the features carry the log energy first (left unchanged).
    public let firstMelColumn: Int

    /// Kaldi's inner cutoffs relative to the warp's ends `F₀`, `F₁`, in Hz (see the type's documentation).
    public static let lowCutoffAboveBand: Double = 80
    public static let highCutoffBelowBand: Double = 500

    /// The warp by `factor` for features computed with `fbank`. Throws `TrainingError.invalidOptions`
    /// when the band is too narrow for the cutoffs at this factor (`l ≥ h`).
    public init(factor: Double, fbank: FbankOptions) throws(TrainingError) {
        let bins = fbank.mel.binCount
        let (low, high) = Self.band(fbank)
        guard Self.bandAllows(factor: factor, low: low, high: high) else {
            throw .invalidOptions(
                "VTLP factor \(factor) needs a mel band wider than \(low)…\(high) Hz (the outer bins' centres) for its cutoffs \(Self.lowCutoffAboveBand) Hz inside the lower and \(Self.highCutoffBelowBand) Hz inside the upper end"
            )
        }
        self.factor = factor
        firstMelColumn = fbank.useEnergy ? 1 : 0
        let (melLow, melDelta) = Self.melGrid(fbank)
        var sourceBins = [Int](repeating: 0, count: bins), upperWeights = [Float](repeating: 0, count: bins)
        for b in 0..<bins {
            let centre = MelBankOptions.inverseMel(melLow + Double(b + 1) * melDelta)
            let warped = Self.warpFrequency(centre, factor: factor, low: low, high: high)
            var position = min(max((MelBankOptions.mel(warped) - melLow) / melDelta - 1, 0), Double(bins - 1))
            // A bin the warp maps onto a bin (the ends) reads it exactly, not through rounding noise.
            if abs(position - position.rounded()) < 1e-9 { position = position.rounded() }
            let lower = min(Int(position.rounded(.down)), bins - 2)
            sourceBins[b] = lower
            upperWeights[b] = Float(position - Double(lower))
        }
        self.sourceBins = sourceBins
        self.upperWeights = upperWeights
    }

    /// Whether the cutoffs stay ordered (`l < h`) for `factor` on the band `low…high` Hz.
    public static func bandAllows(factor: Double, low: Double, high: Double) -> Bool {
        bandAllows(factors: factor...factor, low: low, high: high)
    }

    /// Whether the cutoffs stay ordered for every factor of `factors`: `l` is largest at the largest
    /// factor and `h` smallest at the smallest, so both ends are checked together.
    public static func bandAllows(factors: ClosedRange<Double>, low: Double, high: Double) -> Bool {
        let l = (low + lowCutoffAboveBand) * max(factors.upperBound, 1)
        let h = (high - highCutoffBelowBand) * min(factors.lowerBound, 1)
        return factors.lowerBound > 0 && l < h
    }

    /// Throws `TrainingError.invalidOptions` unless every factor `perturbation` draws can warp features
    /// computed with `fbank`.
    public static func validate(_ perturbation: VocalTractPerturbation, fbank: FbankOptions) throws(TrainingError) {
        do {
            try perturbation.validate()
        } catch {
            throw .invalidOptions(error.inField("vocalTractPerturbation").description)
        }
        let (low, high) = band(fbank)
        guard bandAllows(factors: perturbation.minimumFactor...perturbation.maximumFactor, low: low, high: high) else {
            throw .invalidOptions(
                "VTLP factors \(perturbation.argument) need a mel band wider than \(low)…\(high) Hz (the outer bins' centres) for their cutoffs \(lowCutoffAboveBand) Hz inside the lower and \(highCutoffBelowBand) Hz inside the upper end"
            )
        }
    }

    /// `mel(L)` and the spacing `Δ` of the bins' centres, in mel.
    static func melGrid(_ fbank: FbankOptions) -> (melLow: Double, melDelta: Double) {
        let high = fbank.mel.resolvedHighFrequency(sampleRate: fbank.frame.sampleRate)
        let melLow = MelBankOptions.mel(fbank.mel.lowFrequency)
        return (melLow, (MelBankOptions.mel(high) - melLow) / Double(fbank.mel.binCount + 1))
    }

    /// The warp's fixed ends `F₀`, `F₁` (Hz): the centres of the first and the last mel bin.
    public static func band(_ fbank: FbankOptions) -> (low: Double, high: Double) {
        let (melLow, melDelta) = melGrid(fbank)
        return (
            MelBankOptions.inverseMel(melLow + melDelta),
            MelBankOptions.inverseMel(melLow + Double(fbank.mel.binCount) * melDelta)
        )
    }

    /// `W(f)`: the frequency (Hz) that output frequency `frequency` (Hz) reads for warp factor `factor`
    /// on the band `low…high` Hz (`F₀…F₁`); identity outside the band and at its ends.
    public static func warpFrequency(_ frequency: Double, factor: Double, low: Double, high: Double) -> Double {
        guard frequency >= low, frequency <= high else { return frequency }
        let l = (low + lowCutoffAboveBand) * max(factor, 1), h = (high - highCutoffBelowBand) * min(factor, 1)
        if frequency < l { return low + (l / factor - low) / (l - low) * (frequency - low) }
        if frequency < h { return frequency / factor }
        return high + (high - h / factor) / (high - h) * (frequency - high)
    }

    /// Warps `features` (T, F) in place; F must be the bins plus `firstMelColumn`.
    public func apply(to features: inout FeatureMatrix) {
        precondition(features.dimension == sourceBins.count + firstMelColumn, "features do not match the mel bank")
        guard factor != 1, features.frameCount > 0 else { return }
        let f = features.dimension, bins = sourceBins.count, first = firstMelColumn
        var output = [Float](repeating: 0, count: features.values.count)
        features.values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                sourceBins.withUnsafeBufferPointer { source in
                    upperWeights.withUnsafeBufferPointer { weight in
                        for frame in 0..<features.frameCount {
                            let row = frame * f
                            if first == 1 { out[row] = input[row] }
                            let mels = row + first
                            for b in 0..<bins {
                                let i = mels + source[b], w = weight[b]
                                out[mels + b] = w == 0 ? input[i] : input[i] + w * (input[i + 1] - input[i])
                            }
                        }
                    }
                }
            }
        }
        features.values = output
    }
}
