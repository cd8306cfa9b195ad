import ArgumentParser
import Earshot

extension WeightPrecision: ExpressibleByArgument {}

/// `--model`, and where Earshot looks for its shipped model when it is not given
/// (`SpeechRecognizer.defaultModelCandidates`).
struct ModelOption: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help:
            "Acoustic model file (.safetensors; a header over 100 MB is refused). Default: $EARSHOT_MODEL, else Models/\(SpeechRecognizer.shippedModelName) beside the executable's package or in the current folder."
    )
    var model: String?

    @Option(
        help:
            "Precision of the acoustic model's recurrent weights: f32 (as trained) or int8 (quantised at load, 8-bit weights with per-row scales; faster, slightly different scores). Default: \(SpeechRecognizer.defaultPrecision)."
    )
    var precision: WeightPrecision = SpeechRecognizer.defaultPrecision

    /// The chosen model file: `--model`, else the first default candidate that exists; or says where it looked.
    func path() throws -> String {
        try model ?? SpeechRecognizer.defaultModelPath()
    }
}
