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
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("'-' (standard input) can be read only once")
        }
        if inputs.contains("-") && output == nil {
            throw ValidationError("standard input has no name to derive an output from: give --output (or -o -)")
        }
        try FlagNames(["count": "--stack", "stride": "--stack-stride"]).usageErrors { try stacking.validate() }
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
                    try input == "-"
                    ? featuresOfStandardInput(options)
                    : featuresOfFile(input, options)
                if cmvn { MeanVarianceNormalization().apply(to: &features) }
                if stacking.count > 1 || stacking.stride > 1 { features = stacking.apply(features) }
                let destination = outputPath(for: input)
                try write(features, to: destination)
                report(
                    input: input, output: destination, features: features, audioSeconds: seconds,
                    elapsed: Date().timeIntervalSince(start))
            } catch {
                failed += 1
                let text = "\(error)"
                let namesItsFile = text.hasPrefix(input) || error is AtomicFileError  // an output names its own path
                Terminal.error("earshot: " + (namesItsFile ? text : "\(input): \(text)"))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Features of a whole file, and its duration in seconds.
    private func featuresOfFile(_ path: String, _ options: FbankOptions) throws -> (FeatureMatrix, Double) {
        let audio = try AudioFile.read(path: path, sampleRate: Int(options.frame.sampleRate))
        return (try Fbank(options: options).compute(audio.samples), audio.duration)
    }

    /// Features of standard input, read in blocks of 0.1 s so that any length of input needs only a
    /// block of audio in memory (the features themselves are kept: 32 KB per second at 80 bins).
    private func featuresOfStandardInput(_ options: FbankOptions) throws -> (FeatureMatrix, Double) {
        let reader = try AudioStreamReader(fileDescriptor: 0, format: audioInput.streamFormat)
        let rate = Int(options.frame.sampleRate)
        var resampler = Resampler(from: reader.sampleRate, to: rate)
        var extractor = try OnlineFbank(options: options)
        var values: [Float] = []
        while let block = try reader.read(maxFrames: max(reader.sampleRate / 10, 1)) {
            let samples = resampler.process(block)
            _ = try samples.withUnsafeBufferPointer { try extractor.accept($0, appendingTo: &values) }
        }
        let tail = resampler.flush()
        _ = try tail.withUnsafeBufferPointer { try extractor.accept($0, appendingTo: &values) }
        extractor.finish(appendingTo: &values)
        let frames = values.count / options.dimension
        guard frames > 0 else {
            throw FeatureError.tooShort(
                samples: extractor.sampleCount, minimum: options.frame.windowSize,
                sampleRate: options.frame.sampleRate)
        }
        let seconds = Double(reader.framesRead) / Double(reader.sampleRate)
        return (FeatureMatrix(frameCount: frames, dimension: options.dimension, values: values), seconds)
    }

    private func write(_ features: FeatureMatrix, to path: String) throws {
        let data: Data
        switch format {
        case .npy: data = features.npyData()
        case .txt:
            var text = ""
            for t in 0..<features.frameCount {
                text += features[frame: t].map { "\($0)" }.joined(separator: " ") + "\n"
            }
            data = Data(text.utf8)
        }
        if path == "-" {
            StandardOutput.write(data)
            return
        }
        try AtomicFile.write(data, to: path)  // temporary file, then rename; a device or a pipe written through
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
