import ArgumentParser
import Dispatch
import Earshot
import EarshotAudio
import EarshotNN
import Foundation

/// `earshot stream`: live recognition of audio arriving on standard input.
struct StreamCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Transcribe audio from standard input as it arrives (a WAV stream or raw PCM).",
        discussion: """
            Reads standard input in blocks of 10 ms, resamples it to the model's rate and decodes it with a \
            latency-controlled BiLSTM (chunks of --chunk-steps model steps plus --lookahead-steps of look-ahead). \
            On a terminal the utterance being spoken is shown and rewritten in place, and each finished utterance \
            (ended by --endpoint-seconds of silence, or by the end of input) is printed as a line. With --json, \
            each partial and final result is one JSON line, written at once: \
            {"type": "partial"|"final", "text", "start", "end", "words": [{"text", "start", "end", "confidence"}]}, \
            times in seconds from the start of the stream. --format auto (the default) reads the first 4 bytes: \
            "RIFF", "RIFX" or "RF64" means a WAV stream, anything else raw PCM as --rate/--encoding/--channels say. End of input and \
            Ctrl-C (SIGINT) or SIGTERM both print the last utterance and exit with status 0; a closed standard \
            output ends the program quietly.
            Example: arecord -q -f S16_LE -r 16000 -c 1 -t raw | earshot stream
            """)

    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case auto, wav, raw
    }

    @OptionGroup var modelOption: ModelOption

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptionGroup

    @Option(
        help:
            "Input format: a WAV stream, raw PCM, or auto (a WAV stream if it starts with \"RIFF\", \"RIFX\" or \"RF64\", else raw)."
    )
    var format: InputFormat = .auto

    @Option(name: .customLong("rate"), help: "Sample rate of raw input, in Hz.")
    var rate: Int = 16000

    @Option(
        name: .customLong("encoding"),
        help: "Sample encoding of raw input (little-endian 16-bit integers or 32-bit floats).")
    var encoding: RawSampleEncoding = .s16le

    @Option(name: .customLong("channels"), help: "Interleaved channels of raw input (mixed down to mono).")
    var channels: Int = 1

    @Flag(help: "Print JSON lines (partial and final results) instead of text.")
    var json = false

    @OptionGroup(title: "Streaming")
    var streaming: StreamingOptionGroup

    func validate() throws {
        guard AudioFile.supportedSampleRates.contains(rate) else {
            throw ValidationError("--rate must be in \(AudioFile.supportedSampleRates), got \(rate)")
        }
        guard (1...64).contains(channels) else { throw ValidationError("--channels must be 1…64, got \(channels)") }
    }

    func run() throws {
        let made: StreamRecognizer
        do {
            made = try modelOption.loadRecognizer(decoding: decoding).stream(options: streaming.options)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
        BLASRuntime.threads = 1
        nonisolated(unsafe) let recognizer = made
        let printer = StreamPrinter(json: json, terminal: Terminal.stdoutIsTerminal)
        // Decoding and the signal handler take turns with `recognizer` under this lock; a signal finishes the stream and
        // exits, so the main loop never runs again after it.
        let lock = NSLock()
        SignalStop.shared.onSignal = {
            lock.lock()
            printer.show((try? recognizer.finish()) ?? [])
            printer.end()
            Glibc.exit(0)
        }
        do {
            let (fd, streamFormat) = try openInput()
            let reader = try AudioStreamReader(fileDescriptor: fd, format: streamFormat)
            var resampler = Resampler(from: reader.sampleRate, to: recognizer.sampleRate)
            // 10 ms blocks: the reader waits until a whole block has arrived, so this bounds the delay it
            // adds, and the audio left unread when a signal stops a live stream.
            let block = max(reader.sampleRate / 100, 1)
            while let samples = try reader.read(maxFrames: block) {
                let resampled = resampler.process(samples)
                try lock.withLock { printer.show(try recognizer.accept(samples: resampled)) }
            }
            try lock.withLock {
                printer.show(try recognizer.accept(samples: resampler.flush()))
                printer.show(try recognizer.finish())
                printer.end()
            }
        } catch {
            printer.end()
            let text = "\(error)"
            let name = AudioStreamReader.standardInputName
            Terminal.error("earshot: " + (text.hasPrefix(name) ? text : "\(name): \(text)"))
            throw ExitCode(1)
        }
    }

    /// Standard input as `AudioStreamReader` should read it. For `auto`, the first 4 bytes are read here
    /// to tell WAV (`StreamFormat.wavContainerIDs`: RIFF, RIFX, RF64) from raw; the reader gets a pipe that a thread fills with those bytes and then
    /// the rest of standard input (libsndfile has to see the header itself).
    private func openInput() throws -> (Int32, StreamFormat) {
        let raw = StreamFormat.raw(sampleRate: rate, encoding: encoding, channels: channels)
        switch format {
        case .wav: return (0, .wav)
        case .raw: return (0, raw)
        case .auto:
            var head = [UInt8](repeating: 0, count: 4)
            var count = 0
            while count < 4 {
                let got = head.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress! + count, 4 - count) }
                if got > 0 { count += got } else if got == 0 || errno != EINTR { break }
            }
            let isWAV = count == 4 && StreamFormat.wavContainerIDs.contains { head.elementsEqual($0.utf8) }
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else {
                throw AudioError(path: AudioStreamReader.standardInputName, reason: .ioError("cannot make a pipe"))
            }
            let (readEnd, writeEnd) = (ends[0], ends[1])
            let prefix = Array(head[..<count])
            Thread.detachNewThread { StreamCommand.copyInput(prefix: prefix, to: writeEnd) }
            return (readEnd, isWAV ? .wav : raw)
        }
    }

    /// Writes `prefix`, then everything on standard input, to `fd`, and closes it at end of input.
    private static func copyInput(prefix: [UInt8], to fd: Int32) {
        defer { close(fd) }
        func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
        guard prefix.withUnsafeBytes(writeAll) else { return }
        var buffer = [UInt8](repeating: 0, count: 1 << 14)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return }
            guard buffer.withUnsafeBytes({ writeAll(UnsafeRawBufferPointer(rebasing: $0[..<got])) }) else { return }
        }
    }
}

/// Writes stream events to standard output: JSON lines, or text with the partial result rewritten in
/// place on a terminal. Every write goes straight to the descriptor (`StandardOutput`, no buffering); a
/// closed standard output ends the program quietly with status 0, like the stream's other ends, and any
/// other failed write (a full disk) with one line and status 74.
final class StreamPrinter: @unchecked Sendable {
    let json: Bool
    let terminal: Bool
    /// A partial result is on the terminal's current line.
    private var partialShown = false
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(json: Bool, terminal: Bool) {
        self.json = json
        self.terminal = terminal
    }

    /// One JSON line.
    struct Line: Encodable {
        var type: String
        var text: String
        var start: Double
        var end: Double
        var words: [TranscribedWord]
    }

    func show(_ events: [StreamEvent]) {
        for event in events {
            let segment = event.segment
            if json {
                let line = Line(
                    type: event.isFinal ? "final" : "partial", text: segment.text,
                    start: Self.milliseconds(segment.start), end: Self.milliseconds(segment.end),
                    words: segment.words.map {
                        var word = $0
                        word.start = Self.milliseconds(word.start)
                        word.end = Self.milliseconds(word.end)
                        word.confidence = (word.confidence * 1000).rounded() / 1000
                        return word
                    })
                guard let data = try? encoder.encode(line) else { continue }
                write(String(decoding: data, as: UTF8.self) + "\n")
            } else if event.isFinal {
                write((partialShown ? "\r\u{1B}[K" : "") + segment.text + "\n")
                partialShown = false
            } else if terminal {
                write("\r\u{1B}[K" + segment.text)
                partialShown = true
            }
        }
    }

    /// Ends a partial line left on the terminal.
    func end() {
        if partialShown { write("\n") }
        partialShown = false
    }

    private static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    private func write(_ text: String) {
        StandardOutput.write(text, closedPipeStatus: 0)
    }
}
