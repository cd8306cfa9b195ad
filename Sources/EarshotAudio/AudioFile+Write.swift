#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// Atomic: the data goes to a temporary file in the same directory, which is renamed over `path` only
    /// once complete, so a reader never sees half a file. Integer encodings clip samples beyond ±1 and
    /// scale by 2^(bits-1) − 1 (libsndfile's convention; reading divides by 2^(bits-1)).
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
    static func write(
        interleaved: [Float], channels: Int, sampleRate: Int, format: SoundFileFormat, to path: String
    ) throws(AudioError) {
        let temporary = temporaryPath(besides: path)
        do throws(AudioError) {
            let file = try SndFileHandle(
                writingPath: temporary, format: format, sampleRate: sampleRate, channels: channels)
            try interleaved.withUnsafeBufferPointer { (samples) throws(AudioError) in
                if let base = samples.baseAddress {
                    try file.write(base, frames: samples.count / channels)
                }
            }
            try file.close()
            if rename(temporary, path) != 0 {
                throw AudioError(path: path, reason: .ioError(systemMessage(errno)))
            }
        } catch {
            unlink(temporary)
            throw AudioError(path: path, reason: error.reason)  // name the destination, not the temporary
        }
    }

    /// A fresh hidden name in `path`'s directory, e.g. `dir/.name.wav.1234-5678.tmp`: same file system, so
    /// `rename` is atomic.
    static func temporaryPath(besides path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }
}
