import ArgumentParser
import Earshot
import EarshotMPI
import Foundation

extension TranscriptFormat: ExpressibleByArgument {}

/// `earshot transcribe`: audio files to text, with times and confidences.
struct TranscribeCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe audio files with an acoustic model.",
        discussion: """
            Inputs are files (anything libsndfile reads), folders (searched for audio files), glob patterns, or \
            '-' for standard input (a WAV stream, or raw PCM with --raw). Audio of any rate and channel count is \
            mixed to mono and resampled; long audio is decoded in segments of at most --segment-seconds cut at \
            quiet points, in memory that does not grow with its length. One bad file among many is reported on stderr and the others are still transcribed; the \
            exit status is then 1.

            Started by 'mpirun -np N', each of the N processes transcribes every N-th file (with --threads \
            cores) and rank 0 writes all the transcripts, in input order, as one process would.

            Example: ffmpeg -loglevel error -i talk.mp4 -ac 1 -ar 16000 -f wav - | earshot transcribe -f srt -
            """)

    @Argument(help: "Audio files, folders or glob patterns; '-' reads standard input.")
    var inputs: [String]

    @OptionGroup var modelOption: ModelOption

    @Option(name: .shortAndLong, help: "Output format: txt, json (segments, words, times, confidences), srt, vtt, tsv.")
    var format: TranscriptFormat = .txt

    @Option(
        name: .customLong("output-dir"),
        help: "Write one <input name>.<format> per input into this folder instead of standard output.")
    var outputDirectory: String?

    @Option(name: .customLong("segment-seconds"), help: "Longest stretch of audio decoded at once.")
    var segmentSeconds: Double = TranscriptionOptions().segmentSeconds

    @Option(
        help:
            "Cores to use: several files are transcribed in parallel, one per core; a single file runs the two directions of each recurrent layer on two cores."
    )
    var threads: Int = 2

    @Flag(name: .shortAndLong, help: "Print nothing but results and errors.")
    var quiet = false

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptionGroup

    @OptionGroup(title: "Standard input")
    var audioInput: AudioInputOptionGroup

    /// How each file is run (the schedule is set in `run`, by the number of workers).
    private var options: TranscriptionOptions {
        var options = TranscriptionOptions()
        options.segmentSeconds = segmentSeconds
        return options
    }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one audio file, or '-' for standard input") }
        if inputs.contains(AudioInputs.standardInput) {
            if inputs.filter({ $0 == AudioInputs.standardInput }).count > 1 {
                throw ValidationError("'-' (standard input) can be read only once")
            }
            if outputDirectory != nil {
                throw ValidationError(
                    "standard input has no name to write under --output-dir: leave '-' out, or --output-dir")
            }
            if MPIWorld.isLaunched() {
                throw ValidationError("'-' (standard input) cannot be shared among the processes of an MPI job")
            }
        }
        do { try options.validate() } catch { throw ValidationError("--segment-seconds: \(error)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if outputDirectory == nil && AudioInputs.expand(inputs).count > 1 && [.srt, .vtt, .tsv].contains(format) {
            throw ValidationError("\(format.rawValue) output for several files needs --output-dir")
        }
    }

    func run() throws {
        let share = try RankShare.join()
        let recognizer = try modelOption.loadRecognizer(decoding: decoding)
        var options = self.options
        let files = AudioInputs.expand(inputs)
        let mine = share.indices(of: files.count)
        if let outputDirectory, share.isRoot {
            do {
                try Folder.create(path: outputDirectory)
            } catch {
                Terminal.error("earshot: \(error)")  // the folder, and the system's reason
                throw ExitCode(1)
            }
        }
        let showsProgress = !quiet && Terminal.stderrIsTerminal && share.world == nil
        let expectedSeconds = showsProgress ? Self.expectedSeconds(of: files) : 0
        let bar = ProgressBar(
            total: expectedSeconds, label: "transcribing", enabled: showsProgress && expectedSeconds > 10)
        let lock = NSLock()
        nonisolated(unsafe) var doneSeconds = 0.0
        nonisolated(unsafe) var own: [Int: Result<Transcript, any Error>] = [:]
        let workers = max(1, min(threads, mine.count))
        // One core per file when there are several; else the LSTM's two directions on two cores.
        BLASRuntime.threads = 1
        options.schedule = workers == 1 && threads >= 2 ? .concurrentDirections : .sequential
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { [options] worker in
            for i in stride(from: worker, to: mine.count, by: workers).map({ mine[$0] }) {
                var reported = 0.0
                let progress = { (seconds: Double) in
                    lock.withLock {
                        doneSeconds += seconds - reported
                        reported = seconds
                        bar.update(doneSeconds)
                    }
                }
                let result = Result {
                    guard files[i] != AudioInputs.standardInput else {
                        let reader = try AudioStreamReader(fileDescriptor: 0, format: audioInput.streamFormat)
                        return try recognizer.transcribe(source: reader, options: options, progress: progress)
                    }
                    return try recognizer.transcribe(file: files[i], options: options, progress: progress)
                }
                lock.withLock { own[i] = result }
            }
        }
        bar.finish()
        // Every rank's transcripts, on rank 0; the others are done.
        guard let results = try share.gather(own, count: files.count) else { return share.finish() }
        share.finish()
        var failed = 0
        for (file, result) in zip(files, results) {
            do {
                try emit(result.get(), for: file, among: files.count, decoding: recognizer.decoding)
            } catch {
                failed += 1  // the file could not be transcribed, or its transcript not written: say which, go on
                let text = "\(error)"
                let name = AudioInputs.messageName(of: file)
                let namesItsFile = text.hasPrefix(name) || error is AtomicFileError  // an output names its own path
                Terminal.error("earshot: " + (namesItsFile ? text : "\(name): \(text)"))
            }
        }
        if !quiet {
            let elapsed = Date().timeIntervalSince(started)
            let totalSeconds = results.reduce(0.0) { $0 + ((try? $1.get())?.duration ?? 0) }
            // Only numbers go through String(format:): "%@" with a Swift String is not portable (garbled on Linux).
            let timing = String(
                format: "%.1f s of audio in %.2f s (real-time factor %.4f)", totalSeconds, elapsed,
                totalSeconds > 0 ? elapsed / totalSeconds : 0)
            Terminal.error(
                "earshot: \(files.count) file\(files.count == 1 ? "" : "s"), \(timing)"
                    + (failed > 0 ? ", \(failed) failed" : "") + "; \(recognizer.decoding.summary)")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Seconds of audio in `files` by their headers, for the progress bar (the files are opened again to be
    /// transcribed). Regular files only: a pipe or a named pipe can be read once, by the transcription itself.
    private static func expectedSeconds(of files: [String]) -> Double {
        files.reduce(0.0) { total, file in
            guard file != AudioInputs.standardInput, AudioInputs.isRegularFile(file) else { return total }
            return total + ((try? AudioFile.info(path: file))?.duration ?? 0)
        }
    }

    /// Writes one transcript, to `<output-dir>/<name>.<format>` (throwing `AtomicFileError` when that file
    /// cannot be written) or to standard output; JSON output also says how it was decoded (`DecodingReport`).
    private func emit(_ transcript: Transcript, for file: String, among count: Int, decoding: ResolvedDecoding) throws {
        let report = decoding.report
        if let outputDirectory {
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let path = URL(fileURLWithPath: outputDirectory).appendingPathComponent("\(stem).\(format.rawValue)").path
            try AtomicFile.write(Data(format.render(transcript, decoding: report).utf8), to: path)
            return
        }
        switch (format, count) {
        case (.txt, 1): StandardOutput.line(transcript.text)
        case (.txt, _): StandardOutput.line("\(file)\t\(transcript.text)")
        case (.json, 1): StandardOutput.write(format.render(transcript, decoding: report))
        case (.json, _):
            // JSON lines: one object per file.
            Terminal.output(try TranscriptFormat.jsonLine(transcript, decoding: report, file: file))
        default: StandardOutput.write(format.render(transcript))
        }
    }
}
