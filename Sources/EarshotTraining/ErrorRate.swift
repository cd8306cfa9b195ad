/// Word and character error rates, computed as jiwer computes them (`jiwer.wer`, `jiwer.cer` with their
/// default transforms), checked against jiwer by `ErrorRateTests` on `Fixtures/jiwer.json`.
///
/// Both texts are taken as they are: the caller normalises reference and hypothesis the way training
/// does (`TextNormalizer.normalize`) first.
/// - Words: the text split at runs of whitespace (jiwer splits at spaces after collapsing runs of
///   whitespace, which is the same for normalised text).
/// - Characters: the text with leading and trailing whitespace stripped, as Unicode scalars (Python's code
///   points). Spaces count as characters, and so do repeated spaces, as in jiwer.
/// - Rates: (S + D + I) / N, and I when the reference is empty (see `EditCounts.errorRate`).
public struct UtteranceErrors: Codable, Sendable, Equatable {
    /// The reference (what was said), as given.
    public var reference: String
    /// The hypothesis (what was recognised), as given.
    public var hypothesis: String
    /// Word-level alignment counts.
    public var words: EditCounts
    /// Character-level alignment counts.
    public var characters: EditCounts

    /// Aligns `hypothesis` with `reference` at both levels.
    public init(reference: String, hypothesis: String) {
        self.reference = reference
        self.hypothesis = hypothesis
        words = EditDistance.counts(Self.words(of: reference), Self.words(of: hypothesis))
        characters = EditDistance.counts(Self.characters(of: reference), Self.characters(of: hypothesis))
    }

    /// Word error rate of this utterance.
    public var wer: Double { words.errorRate }
    /// Character error rate of this utterance.
    public var cer: Double { characters.errorRate }

    /// The words WER counts: `text` split at whitespace, empty pieces dropped.
    public static func words(of text: String) -> [Substring] {
        text.split(whereSeparator: \.isWhitespace)
    }

    /// The characters CER counts: the Unicode scalars of `text` without leading and trailing whitespace.
    public static func characters(of text: String) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return [] }
        return Array(scalars[first...last])
    }
}
