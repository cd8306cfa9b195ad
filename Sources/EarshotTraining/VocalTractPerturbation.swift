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

    /// A range of factors; throws unless it is valid (`validate()`).
    public init(minimumFactor: Double, maximumFactor: Double) throws(TrainingOptionsError) {
        self.init(uncheckedMinimum: minimumFactor, maximum: maximumFactor)
        try validate()
    }

    private init(uncheckedMinimum: Double, maximum: Double) {
        minimumFactor = uncheckedMinimum
        maximumFactor = maximum
    }

    /// Checks both factors are in `allowedFactors` and `minimumFactor ≤ maximumFactor`; the error names
    /// the field (`minimumFactor`, `maximumFactor`).
    public func validate() throws(TrainingOptionsError) {
        let allowed = Self.allowedFactors
        for (field, factor) in [("minimumFactor", minimumFactor), ("maximumFactor", maximumFactor)]
        where !allowed.contains(factor) {
            throw TrainingOptionsError(
                field: field, requirement: "must be in \(allowed.lowerBound)…\(allowed.upperBound), got \(factor)")
        }
        guard minimumFactor <= maximumFactor else {
            throw TrainingOptionsError(
                field: "minimumFactor",
                requirement: "must not exceed maximumFactor (\(maximumFactor)), got \(minimumFactor)")
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
            throw .invalidOptions(
                "--vtlp takes 'smallest,largest' (e.g. 0.9,1.1), one factor, or 0/none; got '\(text)'")
        }
        if numbers == [0] { return nil }
        let range: VocalTractPerturbation
        do {
            range = try VocalTractPerturbation(minimumFactor: numbers[0], maximumFactor: numbers.last!)
        } catch {
            throw .invalidOptions("--vtlp '\(text)': \(error)")
        }
        return range.minimumFactor == 1 && range.maximumFactor == 1 ? nil : range
    }

    /// The command-line form, `"0.9,1.1"`.
    public var argument: String { "\(minimumFactor),\(maximumFactor)" }

    /// One factor, drawn uniformly from the range with `generator`.
    public func draw(using generator: inout some RandomNumberGenerator) -> Double {
        minimumFactor == maximumFactor
            ? minimumFactor : Double.random(in: minimumFactor...maximumFactor, using: &generator)
    }
}
