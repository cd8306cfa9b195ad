import ArgumentParser
import Earshot
import EarshotDecoding
import Foundation

/// How transcripts are decoded: beam search (default) or greedy, a language model (by default the one the model's
/// sidecar names, see `DecoderDefaults`), hotwords.
struct DecodingOptionGroup: ParsableArguments {
    private static let defaults = BeamSearchOptions()

    @Option(help: "Beam width of the CTC prefix beam search.")
    var beam: Int = defaults.beamWidth

    @Flag(help: "Greedy (best-path) decoding instead of beam search (and so without a language model).")
    var greedy = false

    @Option(help: """
        Word n-gram language model in ARPA format (any order), applied at word boundaries. (default: the one named \
        by the model's sidecar <model stem>.lm.json, e.g. Models/earshot-en.lm.json beside \
        Models/earshot-en.safetensors, if there is one; else none)
        """)
    var lm: String?

    @Flag(name: .customLong("no-lm"),
          help: "Decode without a language model, even when the model has a sidecar <model stem>.lm.json.")
    var noLM = false

    @Option(help: """
        Weight of the language model's log-probability. (default: the sidecar's "alpha" when its language model \
        is used, else \(defaults.languageModelWeight))
        """)
    var alpha: Float?

    @Option(help: """
        Bonus per word (log domain), balancing the language model's preference for few words. (default: the \
        sidecar's "beta" when its language model is used, else \(defaults.wordBonus))
        """)
    var beta: Float?

    @Option(name: .customLong("hotword"),
            help: "A word or phrase to favour, optionally with its own boost as WORD:BOOST (repeatable).")
    var hotwords: [String] = []

    @Option(name: .customLong("hotword-boost"), help: "Boost of hotwords given without one, per character (log domain).")
    var hotwordBoost: Float = 1.5

    @Option(help: "Hypotheses kept per segment in JSON output (alternatives).")
    var nbest: Int = defaults.nBest

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1") }
        guard nbest >= 1, nbest <= beam else { throw ValidationError("--nbest must be between 1 and --beam") }
        if greedy && (lm != nil || !hotwords.isEmpty || nbest > 1) {
            throw ValidationError("--lm, --hotword and --nbest need beam search (drop --greedy)")
        }
        if noLM && lm != nil { throw ValidationError("--lm and --no-lm contradict each other") }
        if let alpha, !(alpha.isFinite && alpha >= 0) { throw ValidationError("--alpha must be ≥ 0") }
        if let beta, !beta.isFinite { throw ValidationError("--beta must be finite") }
    }

    /// How to decode with the model at `modelPath`: the beam-search options (nil: greedy) and the language model,
    /// which is `--lm`, else the one the model's sidecar names (`DecoderDefaults`), unless `--greedy` or `--no-lm`.
    /// α and β are `--alpha`/`--beta`, else the sidecar's when its language model is used, else the defaults:
    /// the sidecar's values were tuned for its own language model, so `--lm` does not inherit them.
    func setup(modelPath: String) throws -> DecodingSetup {
        guard !greedy else { return DecodingSetup(beamSearch: nil, languageModel: nil, languageModelPath: nil) }
        var search = BeamSearchOptions()
        search.beamWidth = beam
        search.nBest = nbest
        var languageModel: ARPALanguageModel?
        var languageModelPath: String?
        if let lm {
            languageModel = try ARPALanguageModel(contentsOfFile: lm)
            languageModelPath = lm
        } else if !noLM, let sidecar = try DecoderDefaults.find(forModelAt: modelPath) {
            languageModel = try sidecar.loadLanguageModel()
            languageModelPath = sidecar.languageModelPath
            sidecar.apply(to: &search)
        }
        if let alpha { search.languageModelWeight = alpha }
        if let beta { search.wordBonus = beta }
        return DecodingSetup(beamSearch: search, languageModel: languageModel, languageModelPath: languageModelPath)
    }

    func hotwordList(alphabet: Alphabet) throws -> Hotwords {
        guard !hotwords.isEmpty else { return .none }
        let entries = try hotwords.map { text -> Hotwords.Entry in
            let parts = text.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let boost = Float(parts[1]) {
                return .init(phrase: String(parts[0]).lowercased(), boost: boost)
            }
            guard parts.count == 1 else { throw ValidationError("--hotword \(text): the boost after ':' is not a number") }
            return .init(phrase: text.lowercased(), boost: hotwordBoost)
        }
        return try Hotwords(entries: entries, alphabet: alphabet)
    }
}
