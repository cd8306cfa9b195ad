import EarshotIO

extension AudioFile {
    /// How `write` stores samples in a WAV file.
    public enum Encoding: String, Sendable, CaseIterable, Codable {
        /// Signed 16-bit PCM: 96 dB of range, what every tool reads; the default.
        case pcm16
        /// Signed 24-bit PCM.
        case pcm24
        /// IEEE 32-bit float: lossless for our samples, keeps values beyond ±1.
        case float32

        var format: SoundFileFormat {
            switch self {
            case .pcm16: .wavPCM16
            case .pcm24: .wavPCM24
            case .float32: .wavFloat
            }
        }
    }

    /// Writes `buffer` as a mono WAV file at `path`, replacing any file there.
    ///
    /// Atomic (`AtomicFile`): the data goes to a temporary file in the same directory, which is renamed over
    /// `path` only once complete, so a reader never sees half a file; a device or a named pipe at `path` is
    /// written through instead. Integer encodings clip samples beyond ±1 and scale by 2^(bits-1) − 1
    /// (libsndfile's convention; reading divides by 2^(bits-1)).
    /// Throws `.unsupportedRate`, `.nonFiniteSample` (NaN cannot be stored as PCM) or `.ioError`.
    public static func write(_ buffer: AudioBuffer, to path: String, encoding: Encoding = .pcm16)
        throws(AudioError)
    {
        try checkRate(buffer.sampleRate, path: path)
        if let index = buffer.samples.withUnsafeBufferPointer({ ChannelMixdown.firstNonFinite($0) }) {
            throw AudioError(path: path, reason: .nonFiniteSample(index: index))
        }
        try write(
            interleaved: buffer.samples, channels: 1, sampleRate: buffer.sampleRate, format: encoding.format,
            to: path)
    }

    /// Writes interleaved frames, (frames, channels), in any format libsndfile can write, atomically as above.
    /// No checks on rate or values: tests use it to make the odd files the reader must cope with.
    ///
    /// libsndfile encodes into the descriptor `AtomicFile` opens; its own failures are `AudioError`s naming
    /// `path`, and `AtomicFile`'s (create, write, rename) become `.ioError` with the step and the system's reason.
    static func write(
        interleaved: [Float], channels: Int, sampleRate: Int, format: SoundFileFormat, to path: String
    ) throws(AudioError) {
        do {
            try AtomicFile.write(to: path) { writer in
                let file = try SndFileHandle(
                    writingFileDescriptor: writer.descriptor, name: path, format: format, sampleRate: sampleRate,
                    channels: channels)
                try interleaved.withUnsafeBufferPointer { (samples) throws(AudioError) in
                    if let base = samples.baseAddress {
                        try file.write(base, frames: samples.count / channels)
                    }
                }
                try file.close()
            }
        } catch let error as AudioError {
            throw error
        } catch let error as AtomicFileError {
            throw AudioError(path: path, reason: .ioError("\(error.operation) failed: \(error.message)"))
        } catch {
            throw AudioError(path: path, reason: .ioError("\(error)"))
        }
    }
}
