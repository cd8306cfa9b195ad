import ArgumentParser
import Earshot

/// How a live stream is chunked and where its utterances end: the options of `earshot stream` and `earshot serve`,
/// defaults from `StreamingOptions`.
struct StreamingOptionGroup: ParsableArguments {
    @Option(name: .customLong("chunk-steps"), help: "Model steps (30 ms each) per chunk.")
    var chunkSteps: Int = StreamingOptions().chunkSteps

    @Option(name: .customLong("lookahead-steps"), help: "Model steps of look-ahead after each chunk.")
    var lookaheadSteps: Int = StreamingOptions().lookaheadSteps

    @Option(name: .customLong("endpoint-seconds"), help: "Silence that ends an utterance, in seconds.")
    var endpointSeconds: Double = StreamingOptions().endpointSilenceSeconds

    @Option(
        name: .customLong("endpoint-blank-seconds"),
        help: "Decoded blank (no letter) after a word that ends an utterance even in steady noise, in seconds (0: off)."
    )
    var endpointBlankSeconds: Double = StreamingOptions().endpointBlankSeconds

    /// The library's streaming options these flags describe.
    var options: StreamingOptions {
        var options = StreamingOptions(chunkSteps: chunkSteps, lookaheadSteps: lookaheadSteps)
        options.endpointSilenceSeconds = endpointSeconds
        options.endpointBlankSeconds = endpointBlankSeconds
        return options
    }

    func validate() throws {
        do { try options.validate() } catch { throw ValidationError("\(error)") }
    }
}
