import EarshotDecoding

/// `DecodingOptions` made ready for a model: the beam-search options with α and β settled, the language
/// model read and the hotwords compiled for the model's alphabet, and the beam-search decoder built over
/// them (with the language model's vocabulary as a letter trie) — all once, shared by every transcription
/// and stream.
public struct ResolvedDecoding: Sendable {
    /// The language model, if any.
    public let languageModel: (any LanguageModel)?
    /// The ARPA file it was read from (a sidecar's resolved against the sidecar's folder).
    public let languageModelPath: String?
    public private(set) var hotwords: Hotwords
    /// The decoder (immutable; each search brings its own workspace), or nil for greedy decoding.
    public private(set) var beamSearchDecoder: BeamSearchDecoder?

    /// Beam-search options, or nil for greedy decoding.
    public var beamSearch: BeamSearchOptions? { beamSearchDecoder?.options }

    /// Reads what `options` names for the model at `modelPath` (nil: a model not from a file, which has no
    /// sidecar) with `alphabet`.
    ///
    /// α and β are `options.alpha`/`beta`, else the sidecar's when its language model is used, else the
    /// `BeamSearchOptions` defaults: the sidecar's values were tuned for its own language model.
    /// - Throws: `DecodingOptionsError`, `DecoderDefaultsError` (a sidecar or its ARPA file that cannot be
    ///   used), `ARPAError`, `Hotwords.Error`.
    public init(options: DecodingOptions, modelPath: String?, alphabet: Alphabet) throws {
        try options.validate()
        guard !options.greedy else {
            (languageModel, languageModelPath, hotwords, beamSearchDecoder) = (nil, nil, .none, nil)
            return
        }
        var search = BeamSearchOptions()
        search.beamWidth = options.beamWidth
        search.nBest = options.nBest
        switch options.languageModel {
        case .none:
            (languageModel, languageModelPath) = (nil, nil)
        case .arpa(let path):
            (languageModel, languageModelPath) = (try ARPALanguageModel(contentsOfFile: path), path)
        case .modelDefault:
            if let modelPath, let sidecar = try DecoderDefaults.find(forModelAt: modelPath) {
                (languageModel, languageModelPath) = (try sidecar.loadLanguageModel(), sidecar.languageModelPath)
                sidecar.apply(to: &search)
            } else {
                (languageModel, languageModelPath) = (nil, nil)
            }
        }
        if let alpha = options.alpha { search.languageModelWeight = alpha }
        if let beta = options.beta { search.wordBonus = beta }
        hotwords = options.hotwords.isEmpty ? .none : try Hotwords(entries: options.hotwords, alphabet: alphabet)
        beamSearchDecoder = try BeamSearchDecoder(
            alphabet: alphabet, options: search, languageModel: languageModel, hotwords: hotwords)
    }

    /// The same decoding with `entries` as its hotwords instead of its own, the language model shared (see
    /// `BeamSearchDecoder.replacingHotwords`).
    /// - Throws: `DecodingOptionsError` for greedy decoding (hotwords need beam search), `Hotwords.Error` for a
    ///   phrase or boost that cannot be used.
    public func replacingHotwords(_ entries: [Hotwords.Entry]) throws -> ResolvedDecoding {
        guard let beamSearchDecoder else {
            if entries.isEmpty { return self }
            throw DecodingOptionsError.invalid("hotwords need beam search, not greedy decoding")
        }
        var copy = self
        copy.hotwords = entries.isEmpty ? .none : try Hotwords(entries: entries, alphabet: beamSearchDecoder.alphabet)
        copy.beamSearchDecoder = try beamSearchDecoder.replacingHotwords(copy.hotwords)
        return copy
    }

    /// A short description for logs: "greedy decoding", "beam 32, no language model" or
    /// "beam 32, language model PATH (alpha A, beta B)".
    public var summary: String {
        guard let beamSearch else { return "greedy decoding" }
        guard let languageModelPath else { return "beam \(beamSearch.beamWidth), no language model" }
        return "beam \(beamSearch.beamWidth), language model \(languageModelPath) "
            + "(alpha \(beamSearch.languageModelWeight), beta \(beamSearch.wordBonus))"
    }
}
