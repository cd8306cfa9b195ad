#if Server
    import ArgumentParser
    import Dispatch
    import Foundation
    import Earshot
    import EarshotNN
    import EarshotServer
    import Logging

    /// `earshot serve`: the speech server (`SpeechServer`): OpenAI's transcription API over HTTP and Vosk's
    /// streaming protocol over WebSocket. Built with the package's Server trait.
    struct ServeCommand: ParsableCommand, MultipliesMatrices {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract:
                "Serve speech recognition over HTTP (OpenAI's transcription API) and WebSocket (Vosk's protocol).",
            discussion: """
                POST /v1/audio/transcriptions takes OpenAI's multipart form (file, model, response_format json|text|srt|\
                vtt|verbose_json, timestamp_granularities[], prompt: a comma-separated list of names that become \
                hotwords). A WebSocket at / speaks vosk-server's protocol: optional {"config": {"sample_rate": R}}, \
                binary 16-bit PCM, {"eof": 1}; each message is answered with {"partial"} or {"text", "result"}. \
                GET /health and GET /metrics (Prometheus). Decoding runs on --workers threads shared by uploads and \
                streams; limits answer with 413 (upload size), 429 (upload queue full), WebSocket close codes \
                1008 (idle or too long), 1003 (bad message), 1009 (message too large), 1013 (no stream slot). \
                SIGTERM or Ctrl-C drain: new work is refused, uploads in flight finish, streams get --drain-seconds \
                to end, then the server exits 0. Logs go to standard error.
                Example: earshot serve --port 2700, then curl -F file=@clip.wav -F model=earshot \
                http://127.0.0.1:2700/v1/audio/transcriptions
                """)

        private static let defaults = SpeechServerConfiguration()

        @Option(help: "Address to listen on (0.0.0.0 for every interface).")
        var host = defaults.host

        @Option(help: "TCP port (0: any free port, logged).")
        var port = defaults.port

        @OptionGroup var modelOption: ModelOption

        @OptionGroup(title: "Decoding")
        var decoding: DecodingOptionGroup

        @OptionGroup(title: "Streaming")
        var streaming: StreamingOptionGroup

        @Option(help: "Decoding threads, shared by uploads and streams (decoding is CPU-bound: about one per core).")
        var workers = defaults.workers

        @Option(
            name: .customLong("max-streams"),
            help: "WebSocket streams open at once; more are closed at once with code 1013 (try again later).")
        var maxStreams = defaults.maxStreams

        @Option(name: .customLong("queue"), help: "Uploads that may wait for a worker; more are refused (429).")
        var queueLimit = defaults.queueLimit

        @Option(name: .customLong("max-upload-mb"), help: "Largest upload, in MiB (413 beyond).")
        var maxUploadMiB = defaults.maxUploadBytes >> 20

        @Option(
            name: .customLong("idle-timeout"),
            help: "Seconds a stream (or an HTTP connection) may stay without sending or reading before it is closed.")
        var idleTimeout = defaults.idleTimeoutSeconds

        @Option(name: .customLong("max-stream-seconds"), help: "Longest a stream may stay open, in seconds.")
        var maxStreamSeconds = defaults.maxStreamSeconds

        @Option(
            name: .customLong("drain-seconds"),
            help: "On SIGTERM, how long open streams may go on before they get their last result and are closed.")
        var drainSeconds = defaults.drainSeconds

        @Option(
            name: .customLong("stream-send-buffer-bytes"),
            help: """
                Kernel send buffer of each stream's socket (SO_SNDBUF), bounding what a client that never reads \
                holds before its idle time starts. (default: the system's)
                """)
        var streamSendBufferBytes: Int?

        @Option(
            name: .customLong("sample-rate"),
            help:
                "Sample rate (Hz) of a stream whose client sends no {\"config\": {\"sample_rate\": …}} (vosk-server's default)."
        )
        var sampleRate = defaults.defaultStreamSampleRate

        @Option(
            name: .customLong("log-level"),
            help: "Least important log messages shown: trace, debug, info, notice, warning, error.")
        var logLevel = "info"

        private var serverConfiguration: SpeechServerConfiguration {
            var configuration = SpeechServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.workers = workers
            configuration.maxStreams = maxStreams
            configuration.queueLimit = queueLimit
            configuration.maxUploadBytes = maxUploadMiB << 20
            configuration.idleTimeoutSeconds = idleTimeout
            configuration.maxStreamSeconds = maxStreamSeconds
            configuration.drainSeconds = drainSeconds
            configuration.defaultStreamSampleRate = sampleRate
            configuration.streamSendBufferBytes = streamSendBufferBytes
            configuration.streaming = streaming.options
            return configuration
        }

        func validate() throws {
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError(
                    "--log-level must be trace, debug, info, notice, warning or error, got \(logLevel)")
            }
            guard (1...4096).contains(maxUploadMiB) else {
                throw ValidationError("--max-upload-mb must be 1…4096, got \(maxUploadMiB)")
            }
            do { try serverConfiguration.validate() } catch { throw ValidationError("\(error)") }
        }

        /// Loads the model once, then serves until SIGTERM/SIGINT have drained the server (exit 0). Each worker
        /// decodes on one core (OpenBLAS single-threaded), as `earshot stream` does.
        func run() throws {
            let recognizer = try modelOption.loadRecognizer(decoding: decoding)
            BLASRuntime.threads = 1
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let server: SpeechServer
            do {
                server = try SpeechServer(
                    recognizer: recognizer, configuration: serverConfiguration, logger: Logger(label: "earshot.serve"))
            } catch {
                Terminal.error("earshot: \(error)")
                throw ExitCode(64)
            }
            let outcome = Locked<Error?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                do { try await server.run() } catch { outcome.set(error) }
                done.signal()
            }
            done.wait()
            if let error = outcome.value {
                Terminal.error("earshot: serve: \(error)")
                throw ExitCode(1)
            }
        }
    }

    /// A value handed from the server's task to the command's thread.
    private final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value { lock.withLock { stored } }
        func set(_ value: Value) { lock.withLock { stored = value } }
    }
#endif
