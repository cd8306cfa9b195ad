import ArgumentParser
import Earshot
import EarshotDecoding
import Foundation

/// How transcripts are decoded: beam search (default) or greedy, an optional language model, hotwords.
struct DecodingOptionGroup: ParsableArguments {
    private static let defaults = BeamSearchOptions()

    @Option(help: "Beam width of the CTC prefix beam search.")
    var beam: Int = defaults.beamWidth

    @Flag(help: "Greedy (best-path) decoding instead of beam search.")
    var greedy = false

    @Option(help: "Word n-gram language model in ARPA format (any order), applied at word boundaries.")
    var lm: String?

    @Option(help: "Weight of the language model's log-probability.")
    var alpha: Float = defaults.languageModelWeight

    @Option(help: "Bonus per word (log domain), balancing the language model's preference for few words.")
    var beta: Float = defaults.wordBonus

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
    }

    /// The recognizer's decoding options.
    func apply(to options: inout RecognizerOptions) {
        guard !greedy else {
            options.beamSearch = nil
            return
        }
        var search = BeamSearchOptions()
        search.beamWidth = beam
        search.nBest = nbest
        search.languageModelWeight = alpha
        search.wordBonus = beta
        options.beamSearch = search
    }

    /// The language model (read once, shared by every recognizer), if any.
    func languageModel() throws -> ARPALanguageModel? {
        try lm.map { try ARPALanguageModel(contentsOfFile: $0) }
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
