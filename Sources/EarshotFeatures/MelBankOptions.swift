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

    public func validate(sampleRate: Double) throws(FeatureError) {
        let nyquist = 0.5 * sampleRate, high = resolvedHighFrequency(sampleRate: sampleRate)
        guard binCount >= 3 else { throw .invalidOption("need at least 3 mel bins, got \(binCount)") }
        guard lowFrequency >= 0, lowFrequency < nyquist else {
            throw .invalidOption("low frequency \(lowFrequency) Hz must be in [0, \(nyquist)) for \(sampleRate) Hz audio")
        }
        guard high > lowFrequency, high <= nyquist else {
            throw .invalidOption("high frequency \(high) Hz must be in (\(lowFrequency), \(nyquist)] for \(sampleRate) Hz audio")
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
