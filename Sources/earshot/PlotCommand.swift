import ArgumentParser
import Earshot
import EarshotTraining
import Foundation

#if Plot
    import EarshotPlot
#endif

/// `earshot plot`: a PNG picture of what the model hears in a clip, or of how a training run went.
struct PlotCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw what the model hears in a clip, or how a training run went, as a PNG picture.",
        discussion: """
            'earshot plot CLIP -o clip.png' draws, on one time axis: the waveform; the log-mel spectrogram of the \
            model's front end; the posteriorgram (the probability of each character at each 30 ms model step, \
            the CTC blank in its own strip); the decoded words at their times with their confidences. \
            --chunk-steps runs the model as 'earshot stream' does, to see what streaming changes.

            'earshot plot --training DIR -o training.png' draws the mean training loss, the validation CER and \
            WER, the learning rate and the skipped batches of each epoch, from a checkpoint folder (its \
            last.safetensors), a checkpoint file, or the JSON lines 'earshot train --json' printed.

            Needs Earshot built with the Plot trait (swift build -c release --traits Plot, with Debian's \
            libcairo2-dev installed).
            """)

    @Argument(help: "Audio file to draw (anything libsndfile reads).")
    var clip: String?

    @Option(
        help:
            "Draw a training run instead: a checkpoint folder, a checkpoint (.safetensors) or the output of 'earshot train --json'."
    )
    var training: String?

    @Option(name: .shortAndLong, help: "PNG file to write (replaced atomically).")
    var output: String

    @Option(help: "Width of the picture in pixels, 600 to 8000; the height is fixed.")
    var width: Int = 1200

    @OptionGroup var modelOption: ModelOption

    @OptionGroup(title: "Streaming")
    var streaming: LatencyControlOptionGroup

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptionGroup

    func validate() throws {
        switch (clip, training) {
        case (nil, nil): throw ValidationError("give a clip to draw, or --training with a training run")
        case (.some, .some): throw ValidationError("give a clip or --training, not both")
        default: break
        }
        #if Plot
            guard ClipFigure.widths.contains(width) else {
                throw ValidationError(
                    "--width must be \(ClipFigure.widths.lowerBound) to \(ClipFigure.widths.upperBound), got \(width)")
            }
        #endif
    }

    func run() throws {
        #if Plot
            do {
                let canvas =
                    if let training {
                        try TrainingFigure(
                            name: training, epochs: TrainingHistory.read(path: training), width: width
                        ).draw()
                    } else {
                        try clipFigure(clip!).draw()
                    }
                try canvas.writePNG(to: output)
            } catch let error as ExitCode {
                throw error
            } catch {
                Terminal.error("earshot: \(error)")
                throw ExitCode(1)
            }
        #else
            Terminal.error(
                "earshot: this earshot was built without pictures: build it with 'swift build -c release --traits Plot' "
                    + "(needs Debian's libcairo2-dev)")
            throw ExitCode(1)
        #endif
    }

    #if Plot
        /// The figure of `clip` as the model (`--model`), the streaming flags and the decoding flags have it.
        private func clipFigure(_ clip: String) throws -> ClipFigure {
            let recognizer = try modelOption.loadRecognizer(decoding: decoding)
            var options = TranscriptionOptions()
            options.latencyControl = streaming.latencyControl
            return try ClipFigure(file: clip, recognizer: recognizer, options: options, width: width)
        }
    #endif
}
