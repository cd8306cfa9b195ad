import Earshot
import EarshotDecoding

/// What `DecodingOptionGroup.setup(modelPath:)` decided.
struct DecodingSetup {
    /// Beam-search options, or nil for greedy decoding.
    var beamSearch: BeamSearchOptions?
    /// The language model (read once, shared by every recognizer), if any.
    var languageModel: ARPALanguageModel?
    /// Where it was read from (the sidecar's ARPA file resolved against the sidecar's folder), for reports.
    var languageModelPath: String?

    /// The recognizer's decoding options.
    func apply(to options: inout RecognizerOptions) {
        options.beamSearch = beamSearch
    }

    /// A short description for logs: "greedy decoding", "beam 32, no language model" or
    /// "beam 32, language model PATH (alpha A, beta B)".
    var summary: String {
        guard let beamSearch else { return "greedy decoding" }
        guard let languageModelPath else { return "beam \(beamSearch.beamWidth), no language model" }
        return "beam \(beamSearch.beamWidth), language model \(languageModelPath) "
            + "(alpha \(beamSearch.languageModelWeight), beta \(beamSearch.wordBonus))"
    }

    /// Which language model is used, for `--json` outputs.
    var report: DecodingReport {
        guard languageModelPath != nil, let beamSearch else { return DecodingReport() }
        return DecodingReport(languageModel: languageModelPath, alpha: beamSearch.languageModelWeight,
                              beta: beamSearch.wordBonus)
    }
}
