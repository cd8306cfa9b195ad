import ArgumentParser
import Earshot

/// `--chunk-steps` and `--lookahead-steps` of the commands that can run the model chunk by chunk as
/// `earshot stream` does (`TranscriptionOptions.latencyControl`), to see what streaming changes.
struct LatencyControlOptionGroup: ParsableArguments {
    @Option(
        name: .customLong("chunk-steps"),
        help:
            "Run the model chunk by chunk as 'earshot stream' does, this many model steps (30 ms) per chunk, to see what streaming changes (default: whole segments)."
    )
    var chunkSteps: Int?

    @Option(name: .customLong("lookahead-steps"), help: "With --chunk-steps: look-ahead steps after each chunk.")
    var lookaheadSteps: Int = StreamingOptions().lookaheadSteps

    func validate() throws {
        guard let latencyControl else { return }
        try FlagNames(["chunkSteps": "--chunk-steps", "lookaheadSteps": "--lookahead-steps"])
            .usageErrors { try latencyControl.validate() }
    }

    /// `--chunk-steps` and `--lookahead-steps`; nil (whole segments) without `--chunk-steps`.
    var latencyControl: LatencyControl? {
        chunkSteps.map { LatencyControl(chunkSteps: $0, lookaheadSteps: lookaheadSteps) }
    }
}
