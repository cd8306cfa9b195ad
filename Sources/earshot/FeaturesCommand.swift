import ArgumentParser
import EarshotAudio
import EarshotFeatures
import EarshotIO
import Foundation

/// `earshot features`: log-mel filterbank features of audio files, as NumPy arrays.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract:
            "Compute Kaldi-compatible log-mel filterbank features and write them as .npy (float32, frames × bins).",
        discussion: """
            Any file libsndfile reads (WAV, FLAC, OGG/Vorbis, …) is mixed down to mono and resampled to \
            --sample-frequency. '-' reads standard input: a WAV stream, or raw PCM with --raw. Values \
            match Kaldi's compute-fbank-feats (and kaldi-native-fbank) with the same options, for 16-bit \
            input scale. In Python: numpy.load("clip.npy").

            Audio is read in blocks, but the features of one input are held in memory until it ends (the \
            .npy header holds their count; --cmvn needs all of them): an input longer than --max-frames is \
            refused, with the others still processed.
            """)

    @Argument(help: "Audio files to read, or '-' for standard input.")
    var inputs: [String]

    @Option(
        name: .shortAndLong,
        help: "Output file ('-' for standard output). Only with one input. Default: <input name>.npy in --output-dir.")
    var output: String?

    @Option(name: .customLong("output-dir"), help: "Folder for outputs named after their inputs.")
    var outputDirectory: String = "."

    @Option(help: "Output format: a NumPy float32 array, or text with one frame per line.")
    var format: OutputFormat = .npy

    @Flag(help: "Normalise each feature to zero mean and unit variance over the utterance.")
    var cmvn = false

    @Option(help: "Stack this many consecutive frames into one vector (1: no stacking).")
    var stack: Int = 1

    @Option(name: .customLong("stack-stride"), help: "Frames between stacks. Default: the --stack value.")
    var stackStride: Int?

    @Option(
        name: .customLong("max-frames"),
        help:
            "Most frames of one input (4 h of audio at a 10 ms frame shift; 461 MB at 80 bins): its features are held in memory until it ends, and a longer input is refused."
    )
    var maxFrames: Int = FeatureCollector.defaultFrameLimit

    @Flag(help: "Print one JSON line per input on standard output (file, output, frames, dimension, seconds).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup(title: "Filterbank options (Kaldi's names and defaults, except --num-mel-bins 80 and --dither 0)")
    var fbank: FbankOptionGroup

    @OptionGroup(title: "Standard input")
    var audioInput: AudioInputOptionGroup

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case npy, txt
    }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one audio file, or '-' for standard input") }
        if output != nil && inputs.count > 1 {
            throw ValidationError("--output names one file; with \(inputs.count) inputs use --output-dir")
        }
        if inputs.filter({ $0 == AudioInputs.standardInput }).count > 1 {
            throw ValidationError("'-' (standard input) can be read only once")
        }
        if inputs.contains(AudioInputs.standardInput) && output == nil {
            throw ValidationError("standard input has no name to derive an output from: give --output (or -o -)")
        }
        try FlagNames(["count": "--stack", "stride": "--stack-stride"]).usageErrors { try stacking.validate() }
        try FlagNames(["frameLimit": "--max-frames"]).usageErrors {
            try FeatureCollector.validate(frameLimit: maxFrames)
        }
        let names = inputs.map(outputPath(for:))
        if let repeated = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("two inputs would both be written to \(repeated); use -o or separate runs")
        }
        if json && output == "-" { throw ValidationError("--json and -o - both want standard output") }
    }

    private var stacking: FrameStacking { FrameStacking(count: stack, stride: stackStride ?? stack) }

    /// Where the features of `input` go: `--output`, or `<output-dir>/<input name without extension>.<format>`.
    func outputPath(for input: String) -> String {
        if let output { return output }
        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: outputDirectory).appendingPathComponent("\(stem).\(format.rawValue)").path
    }

    func run() throws {
        let options = fbank.options
        if output == nil {
            do {
                try Folder.create(path: outputDirectory)
            } catch {
                Terminal.error("earshot: \(error)")  // the folder, and the system's reason
                throw ExitCode(1)
            }
        }
        var failed = 0
        for input in inputs {
            do {
                let start = Date()
                var (features, seconds) =
                    try input == AudioInputs.standardInput
                    ? features(of: AudioStreamReader(fileDescriptor: 0, format: audioInput.streamFormat), options)
                    : features(of: AudioFileReader(path: input), options)
                if cmvn { MeanVarianceNormalization().apply(to: &features) }
                if stacking.count > 1 || stacking.stride > 1 { features = stacking.apply(features) }
                let destination = outputPath(for: input)
                try write(features, to: destination)
                report(
                    input: input, output: destination, features: features, audioSeconds: seconds,
                    elapsed: Date().timeIntervalSince(start))
            } catch {
                failed += 1
                var text = "\(error)"
                if case FeatureError.tooLong = error { text += " (--max-frames)" }
                let name = AudioInputs.messageName(of: input)
                let namesItsFile = text.hasPrefix(name) || error is AtomicFileError  // an output names its own path
                Terminal.error("earshot: " + (namesItsFile ? text : "\(name): \(text)"))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Features of `source` (a file or standard input), read in blocks of 0.1 s, and its duration in seconds.
    private func features(of source: some AudioBlockSource, _ options: FbankOptions) throws -> (FeatureMatrix, Double) {
        let features = try collect(options, sampleRate: source.sampleRate) {
            try source.read(maxFrames: max(source.sampleRate / 10, 1))
        }
        return (features, Double(source.framesRead) / Double(source.sampleRate))
    }

    /// The features of the blocks `next` gives (mono, at `sampleRate` Hz; nil at the end), resampled to the
    /// options' rate as they come and gathered up to `--max-frames` (`FeatureCollector`), so memory holds
    /// one block of audio and the features.
    private func collect(_ options: FbankOptions, sampleRate: Int, next: () throws -> [Float]?) throws
        -> FeatureMatrix
    {
        var resampler = Resampler(from: sampleRate, to: Int(options.frame.sampleRate))
        var collector = try FeatureCollector(options: options, frameLimit: maxFrames)
        while let block = try next() { try collector.accept(resampler.process(block)) }
        try collector.accept(resampler.flush())
        return try collector.finish()
    }

    /// Writes `features` to `path` (`-`: standard output) in `--format`, piece by piece (never a second
    /// copy of them in memory); a file is written to a temporary name and renamed (`AtomicFile`).
    private func write(_ features: FeatureMatrix, to path: String) throws {
        if path == "-" {
            try pieces(of: features) { StandardOutput.write(Data($0)) }
            return
        }
        // AtomicFileError names the path, the step and the system's reason; a device or a pipe is written through.
        try AtomicFile.write(to: path) { writer in try pieces(of: features) { try writer.write($0) } }
    }

    /// Hands `emit` the bytes of `features` in `--format`, a piece at a time: the `.npy` header then the
    /// values as they are in memory, or text of up to 1000 frames per piece.
    private func pieces(of features: FeatureMatrix, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch format {
        case .npy:
            try features.npyHeader().withUnsafeBytes(emit)
            try features.values.withUnsafeBytes(emit)
        case .txt:
            for start in stride(from: 0, to: features.frameCount, by: 1000) {
                var text = ""
                for t in start..<min(start + 1000, features.frameCount) {
                    text += features[frame: t].map { "\($0)" }.joined(separator: " ") + "\n"
                }
                try Data(text.utf8).withUnsafeBytes(emit)
            }
        }
    }

    private func report(input: String, output: String, features: FeatureMatrix, audioSeconds: Double, elapsed: Double) {
        if json {
            let line: [String: Any] = [
                "input": input, "output": output, "frames": features.frameCount, "dimension": features.dimension,
                "audio_seconds": audioSeconds, "elapsed_seconds": elapsed,
            ]
            if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
                Terminal.output(String(decoding: data, as: UTF8.self))
            }
        } else if !quiet {
            let speed = elapsed > 0 ? String(format: "%.0f× real time", audioSeconds / elapsed) : ""
            Terminal.error(
                "\(input) → \(output): \(features.frameCount) frames × \(features.dimension) "
                    + "(\(String(format: "%.2f", audioSeconds)) s of audio, \(speed))")
        }
    }
}
