import Earshot
import EarshotDecoding

/// `DecoderDefaults(contentsOfFile:)`, the model's `X.lm.json` sidecar, on arbitrary bytes (the whole input
/// is the file). Checks: it returns defaults or throws `DecoderDefaultsError`; defaults it returns name an
/// ARPA file, have α finite and ≥ 0 and β finite, and `apply(to:)` sets exactly those.
enum LMSidecarTarget {
    /// The file the parser reads, holding the current input.
    static let file = MemoryFile(name: "lm-sidecar")

    static func run(_ input: [UInt8]) {
        file.replaceContents(with: input)
        let defaults: DecoderDefaults
        do {
            defaults = try DecoderDefaults(contentsOfFile: file.path)
        } catch {
            require(error is DecoderDefaultsError, "threw \(type(of: error)), not a DecoderDefaultsError")
            return
        }
        require(!defaults.arpa.isEmpty && !defaults.languageModelPath.isEmpty, "no ARPA file named")
        if let alpha = defaults.alpha { require(alpha.isFinite && alpha >= 0, "alpha \(alpha)") }
        if let beta = defaults.beta { require(beta.isFinite, "beta \(beta)") }
        var options = BeamSearchOptions()
        defaults.apply(to: &options)
        require(
            options.languageModelWeight == defaults.alpha ?? BeamSearchOptions().languageModelWeight, "α not applied")
        require(options.wordBonus == defaults.beta ?? BeamSearchOptions().wordBonus, "β not applied")
    }
}
