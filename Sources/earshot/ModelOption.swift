import ArgumentParser
import Earshot

/// `--model`, and where Earshot looks for its shipped model when it is not given
/// (`SpeechRecognizer.defaultModelCandidates`).
struct ModelOption: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help:
            "Acoustic model file (.safetensors; a header over 100 MB is refused). Default: $EARSHOT_MODEL, else Models/\(SpeechRecognizer.shippedModelName) beside the executable's package or in the current folder."
    )
    var model: String?

    /// The chosen model file: `--model`, else the first default candidate that exists; or says where it looked.
    func path() throws -> String {
        try model ?? SpeechRecognizer.defaultModelPath()
    }
}
