import Foundation

/// The triangular mel filterbank, Kaldi's `MelBanksOptions` (`src/feat/mel-computations.h`).
public struct MelBankOptions: Codable, Sendable, Equatable, Hashable {
    /// `--num-mel-bins`: number of triangular filters. Default 80 (Kaldi's is 23; 80 is what modern
    /// acoustic models use at 16 kHz).
    public var binCount: Int = 80
    /// `--low-freq`: lower edge of the first filter, in Hz. Default 20.
    public var lowFrequency: Double = 20
    /// `--high-freq`: upper edge of the last filter, in Hz; zero or negative means an offset from the
    /// Nyquist frequency (0 = Nyquist, −400 = 400 Hz below it). Default 0.
    public var highFrequency: Double = 0

    public init() {}

    /// The upper edge in Hz for a signal sampled at `sampleRate` Hz.
    public func resolvedHighFrequency(sampleRate: Double) -> Double {
        highFrequency > 0 ? highFrequency : 0.5 * sampleRate + highFrequency
    }

    /// Checks the filterbank fits audio at `sampleRate` Hz; the error names the option (`binCount`,
    /// `lowFrequency`, `highFrequency`), what it must be and the value found.
    public func validate(sampleRate: Double) throws(FeatureError) {
        let nyquist = 0.5 * sampleRate, high = resolvedHighFrequency(sampleRate: sampleRate)
        guard binCount >= 3 else {
            throw .invalidOption(field: "binCount", requirement: "must be at least 3, got \(binCount)")
        }
        guard lowFrequency >= 0, lowFrequency < nyquist else {
            throw .invalidOption(
                field: "lowFrequency",
                requirement: "must be in [0, \(nyquist)) Hz for \(sampleRate) Hz audio, got \(lowFrequency) Hz")
        }
        guard high > lowFrequency, high <= nyquist else {
            throw .invalidOption(
                field: "highFrequency",
                requirement:
                    "must put the upper edge in (\(lowFrequency), \(nyquist)] Hz for \(sampleRate) Hz audio, got \(highFrequency) (upper edge \(high) Hz)"
            )
        }
    }
}

extension MelBankOptions {
    /// The mel scale, `mel(f) = 1127 ln(1 + f / 700)`, f in Hz, in double precision (the filterbank itself,
    /// `MelBank`, evaluates it in single precision as Kaldi does).
    public static func mel(_ frequency: Double) -> Double { 1127 * log(1 + frequency / 700) }

    /// The frequency in Hz of `mel` on the mel scale: `700 (e^(mel / 1127) − 1)`.
    public static func inverseMel(_ mel: Double) -> Double { 700 * (exp(mel / 1127) - 1) }
}
