#if Server
    import Earshot
    import EarshotAudio

    /// What `SpeechServer` listens on and the limits it keeps. Every limit has a clear answer when it is reached
    /// (see README, "earshot serve"): 413 for an upload over `maxUploadBytes`, 429 when the upload queue is full,
    /// WebSocket close codes for streams (1013 when every stream slot is taken, 1008 for the time limits).
    public struct SpeechServerConfiguration: Sendable {
        /// Address to bind. Default 127.0.0.1 (loopback only: say 0.0.0.0 to serve other machines).
        public var host = "127.0.0.1"
        /// TCP port; 0 picks a free one (the server logs and reports it). Default 2700, vosk-server's port.
        public var port = 2700
        /// Threads that decode (uploads and stream chunks); decoding is CPU-bound, so about one per core.
        /// Default 2.
        public var workers = 2
        /// Uploads that may wait for a worker; one more is refused with 429. Default 16.
        public var queueLimit = 16
        /// WebSocket streams open at once; one more is closed at once with code 1013 (try again later). Default 32.
        public var maxStreams = 32
        /// Largest request body, in bytes (OpenAI's limit: 25 MB). Default 25 MiB.
        public var maxUploadBytes = 25 << 20
        /// Largest WebSocket message, in bytes. Default 1 MiB (≈ 32 s of 16 kHz 16-bit audio per message).
        public var maxMessageBytes = 1 << 20
        /// A stream with no message from its client, or whose client reads nothing, for this long is closed
        /// (code 1008), in seconds. Default 30.
        public var idleTimeoutSeconds = 30.0
        /// A stream open longer than this is closed after its last result (code 1008), in seconds. Default 3600.
        public var maxStreamSeconds = 3600.0
        /// The kernel's send buffer of each stream's socket, in bytes (SO_SNDBUF), or nil (default) for the
        /// system's, which grows to megabytes: what a client that never reads can leave queued before the server's
        /// writes to it block and its idle time starts.
        public var streamSendBufferBytes: Int?
        /// On SIGTERM, how long open streams may go on before they are given their last result and closed
        /// (code 1001), in seconds; uploads in flight always finish. Default 30.
        public var drainSeconds = 30.0
        /// Sample rate of a stream whose client sends no `{"config": {"sample_rate": …}}`, in Hz. Default 8000,
        /// as vosk-server's.
        public var defaultStreamSampleRate = 8000
        /// How streams are chunked and endpointed (the options of `earshot stream`).
        public var streaming = StreamingOptions()

        public init() {}

        /// Throws `SpeechServerConfigurationError` naming the first value that cannot work.
        public func validate() throws(SpeechServerConfigurationError) {
            func check(_ ok: Bool, _ message: @autoclosure () -> String) throws(SpeechServerConfigurationError) {
                if !ok { throw SpeechServerConfigurationError(message: message()) }
            }
            try check(!host.isEmpty, "the host is empty")
            try check((0...65535).contains(port), "the port must be 0…65535, got \(port)")
            try check((1...256).contains(workers), "workers must be 1…256, got \(workers)")
            try check(queueLimit >= 0, "the queue limit must be ≥ 0, got \(queueLimit)")
            try check(maxStreams >= 1, "max streams must be ≥ 1, got \(maxStreams)")
            try check(maxUploadBytes >= 1024, "the upload limit must be ≥ 1024 bytes, got \(maxUploadBytes)")
            if let bytes = streamSendBufferBytes {
                try check(bytes >= 1024, "the stream send buffer must be ≥ 1024 bytes, got \(bytes)")
            }
            try check(maxMessageBytes >= 1024, "the message limit must be ≥ 1024 bytes, got \(maxMessageBytes)")
            for (name, value) in [
                ("idle timeout", idleTimeoutSeconds), ("stream time limit", maxStreamSeconds),
                ("drain time", drainSeconds),
            ] {
                try check(value.isFinite && value > 0, "the \(name) must be > 0 seconds, got \(value)")
            }
            try check(
                AudioFile.supportedSampleRates.contains(defaultStreamSampleRate),
                "the stream sample rate must be in \(AudioFile.supportedSampleRates), got \(defaultStreamSampleRate)")
            do { try streaming.validate() } catch { throw SpeechServerConfigurationError(message: "\(error)") }
        }
    }

    /// A `SpeechServerConfiguration` value that cannot work.
    public struct SpeechServerConfigurationError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
#endif
