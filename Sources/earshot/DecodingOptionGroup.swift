import ArgumentParser
import Earshot
import Foundation

/// How transcripts are decoded: beam search (default) or greedy, a language model (by default the one the model's
/// sidecar names, see `DecoderDefaults`), hotwords.
struct DecodingOptionGroup: ParsableArguments {
    private static let defaults = BeamSearchOptions()

    @Option(help: "Beam width of the CTC prefix beam search.")
    var beam: Int = defaults.beamWidth

    @Flag(help: "Greedy (best-path) decoding instead of beam search (and so without a language model).")
    var greedy = false

    @Option(
        help: """
            Word n-gram language model in ARPA format (orders 1 to 10, at most 134217728 n-grams, no more than \
            the file's size can hold), applied at word boundaries. (default: the one named \
            by the model's sidecar <model stem>.lm.json, e.g. Models/earshot-en.lm.json beside \
            Models/earshot-en.safetensors, if there is one; else none)
            """)
    var lm: String?

    @Flag(
        name: .customLong("no-lm"),
        help: "Decode without a language model, even when the model has a sidecar <model stem>.lm.json.")
    var noLM = false

    @Option(
        help: """
            Weight of the language model's log-probability. (default: the sidecar's "alpha" when its language model \
            is used, else \(defaults.languageModelWeight))
            """)
    var alpha: Float?

    @Option(
        help: """
            Bonus per word (log domain), balancing the language model's preference for few words. (default: the \
            sidecar's "beta" when its language model is used, else \(defaults.wordBonus))
            """)
    var beta: Float?

    @Option(
        name: .customLong("hotword"),
        help: "A word or phrase to favour, optionally with its own boost as WORD:BOOST (repeatable).")
    var hotwords: [String] = []

    @Option(
        name: .customLong("hotword-boost"), help: "Boost of hotwords given without one, per character (log domain).")
    var hotwordBoost: Float = 1.5

    @Option(help: "Hypotheses kept per segment in JSON output (alternatives).")
    var nbest: Int = defaults.nBest

    func validate() throws {
        if noLM && lm != nil { throw ValidationError("--lm and --no-lm contradict each other") }
        do {
            try options().validate()
        } catch let error as DecodingOptionsError {
            throw ValidationError(error.description)
        }
    }

    /// The library's decoding options these flags describe.
    func options() throws -> DecodingOptions {
        var options = DecodingOptions()
        options.greedy = greedy
        options.beamWidth = beam
        options.nBest = nbest
        options.languageModel = lm.map { .arpa(path: $0) } ?? (noLM ? .none : .modelDefault)
        options.alpha = alpha
        options.beta = beta
        options.hotwords = try hotwords.map { text -> Hotwords.Entry in
            let parts = text.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let boost = Float(parts[1]) {
                return .init(phrase: String(parts[0]).lowercased(), boost: boost)
            }
            guard parts.count == 1 else {
                throw ValidationError("--hotword \(text): the boost after ':' is not a number")
            }
            return .init(phrase: text.lowercased(), boost: hotwordBoost)
        }
        return options
    }
}

extension ModelOption {
    /// The model `--model` names (or the shipped one) with the decoding `decoding` asks for: what
    /// `transcribe`, `eval` and `stream` decode with. A problem is printed as one line naming its file and
    /// cause, and exits with status 1.
    func loadRecognizer(decoding: DecodingOptionGroup) throws -> SpeechRecognizer {
        do {
            return try SpeechRecognizer.load(model: path(), precision: precision, decoding: decoding.options())
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
    }
}

extension ResolvedDecoding {
    /// Which language model is used, for `--json` outputs.
    var report: DecodingReport {
        guard languageModelPath != nil, let beamSearch else { return DecodingReport() }
        return DecodingReport(
            languageModel: languageModelPath, alpha: beamSearch.languageModelWeight,
            beta: beamSearch.wordBonus)
    }
}
