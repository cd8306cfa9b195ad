import Foundation

/// Vocal-tract-length perturbation (VTLP, Jaitly & Hinton 2013) as a training option: for every
/// utterance of every step a warp factor α is drawn uniformly from `minimumFactor...maximumFactor`
/// and the utterance's log-mel features are warped along frequency by `VocalTractWarp`, so each clip
/// is also heard as a speaker with a shorter (α > 1) or longer (α < 1) vocal tract.
///
/// On the command line (`earshot train --vtlp`): `0.9,1.1` (a range), `1.05` (one fixed factor), or
/// `0` / `none` (off).
public struct VocalTractPerturbation: Codable, Sendable, Equatable {
    /// Smallest warp factor α drawn (dimensionless). In the default, 0.9.
    public var minimumFactor: Double
    /// Largest warp factor α drawn (dimensionless). In the default, 1.1.
    public var maximumFactor: Double

    /// Factors that are accepted: well beyond the ±10–20 % that differences between adult speakers
    /// span, yet keeping every warp monotone over the mel band.
    public static let allowedFactors: ClosedRange<Double> = 0.5...2

    /// ±10 %, the range of Jaitly & Hinton and of most recipes since (Kaldi's VTLN searches
    /// 0.8…1.2 per speaker; as an augmentation drawn per utterance ±10 % is the usual choice).
    public static let standard = VocalTractPerturbation(uncheckedMinimum: 0.9, maximum: 1.1)

    /// A range of factors; throws `TrainingError.invalidOptions` unless
    /// `allowedFactors` contains both and `minimumFactor ≤ maximumFactor`.
    public init(minimumFactor: Double, maximumFactor: Double) throws(TrainingError) {
        self.init(uncheckedMinimum: minimumFactor, maximum: maximumFactor)
        try validate()
    }

    private init(uncheckedMinimum: Double, maximum: Double) {
        minimumFactor = uncheckedMinimum
        maximumFactor = maximum
    }

    public func validate() throws(TrainingError) {
        guard minimumFactor.isFinite, maximumFactor.isFinite,
              Self.allowedFactors.contains(minimumFactor), Self.allowedFactors.contains(maximumFactor) else {
            throw .invalidOptions(
                "VTLP warp factors must be in \(Self.allowedFactors.lowerBound)…\(Self.allowedFactors.upperBound), got \(minimumFactor), \(maximumFactor)")
        }
        guard minimumFactor <= maximumFactor else {
            throw .invalidOptions("VTLP range must be 'smallest,largest', got \(minimumFactor), \(maximumFactor)")
        }
    }

    /// Parses the command-line form: `"0.9,1.1"`, a single factor `"1.05"`, or `"0"` / `"none"` for
    /// nil (no perturbation; a range of exactly 1 is also returned as nil, since it changes nothing).
    public static func parse(_ text: String) throws(TrainingError) -> VocalTractPerturbation? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "none" || trimmed == "off" { return nil }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap(Double.init)
        guard (1...2).contains(parts.count), numbers.count == parts.count else {
            throw .invalidOptions("--vtlp takes 'smallest,largest' (e.g. 0.9,1.1), one factor, or 0/none; got '\(text)'")
        }
        if numbers == [0] { return nil }
        let range = try VocalTractPerturbation(minimumFactor: numbers[0], maximumFactor: numbers.last!)
        return range.minimumFactor == 1 && range.maximumFactor == 1 ? nil : range
    }

    /// The command-line form, `"0.9,1.1"`.
    public var argument: String { "\(minimumFactor),\(maximumFactor)" }

    /// One factor, drawn uniformly from the range with `generator`.
    public func draw(using generator: inout some RandomNumberGenerator) -> Double {
        minimumFactor == maximumFactor ? minimumFactor : Double.random(in: minimumFactor...maximumFactor, using: &generator)
    }
}
