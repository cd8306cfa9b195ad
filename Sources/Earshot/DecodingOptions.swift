import EarshotDecoding

/// How transcripts are decoded, for files and streams alike: CTC prefix beam search (by default, beam 32)
/// or greedy best-path decoding; a word language model (by default the one shipped beside the model, with
/// the weights tuned for it); hotwords; N-best alternatives.
///
/// A plain value: it names files but loads nothing. `SpeechRecognizer.load(model:precision:decoding:)` reads the
/// language model once (`ResolvedDecoding`) and shares it among every transcription and stream.
public struct DecodingOptions: Sendable, Equatable, Codable {
    /// Which word language model beam search consults at word boundaries.
    public enum LanguageModelChoice: Sendable, Equatable, Codable {
        /// The one named by the model's sidecar `<model stem>.lm.json` (`DecoderDefaults`), with the α and β
        /// tuned for it; none when the model has no sidecar. The default.
        case modelDefault
        /// No language model: the acoustic model's letters alone.
        case none
        /// An ARPA file of any order (α and β: `alpha` and `beta`, else `BeamSearchOptions`' defaults; the
        /// sidecar's were tuned for its own language model, not this one).
        case arpa(path: String)
    }

    /// Greedy (best-path) decoding instead of beam search: fastest, and without a language model, hotwords
    /// or alternatives. Default false.
    public var greedy = false
    /// Prefixes kept per step by beam search. Default 32 (under a millisecond per 10 s of audio).
    public var beamWidth = BeamSearchOptions().beamWidth
    /// Hypotheses reported per segment (`TranscriptSegment.alternatives` when > 1); at most `beamWidth`.
    /// Default 1.
    public var nBest = BeamSearchOptions().nBest
    /// Default `.modelDefault`.
    public var languageModel = LanguageModelChoice.modelDefault
    /// α, weight of the language model's ln P; nil (default): the sidecar's when its language model is
    /// used, else `BeamSearchOptions().languageModelWeight`.
    public var alpha: Float?
    /// β, bonus per word (nats); nil (default): as `alpha`, from `BeamSearchOptions().wordBonus`.
    public var beta: Float?
    /// Words and phrases to favour, each with its boost per character (log domain). Default none.
    public var hotwords: [Hotwords.Entry] = []

    public init() {}

    /// Greedy decoding.
    public static var greedyDecoding: DecodingOptions {
        var options = DecodingOptions()
        options.greedy = true
        return options
    }

    /// Throws when a value cannot work: a beam under 1, N-best outside 1…beam, α negative or not finite, β
    /// not finite, or a language model, hotwords or N-best asked of greedy decoding.
    public func validate() throws(DecodingOptionsError) {
        guard beamWidth >= 1 else { throw .invalid("the beam width must be at least 1, got \(beamWidth)") }
        guard nBest >= 1, nBest <= beamWidth else {
            throw .invalid("N-best must be between 1 and the beam width (\(beamWidth)), got \(nBest)")
        }
        if let alpha, !(alpha.isFinite && alpha >= 0) { throw .invalid("alpha must be ≥ 0, got \(alpha)") }
        if let beta, !beta.isFinite { throw .invalid("beta must be finite, got \(beta)") }
        if greedy {
            if case .arpa = languageModel { throw .invalid("a language model needs beam search, not greedy decoding") }
            guard hotwords.isEmpty, nBest == 1 else {
                throw .invalid("hotwords and N-best need beam search, not greedy decoding")
            }
        }
    }
}

/// A `DecodingOptions` value that cannot work.
public enum DecodingOptionsError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
