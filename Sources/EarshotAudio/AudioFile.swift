#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading audio files (anything libsndfile decodes: WAV PCM 8/16/24/32-bit and float, FLAC, OGG/Vorbis, AIFF…)
/// as mono `Float` samples, and writing WAV files.
///
/// Decoding mixes channels down to mono by averaging them. Integer encodings come out in [-1, 1) (libsndfile
/// divides by 2^(bits-1)); float encodings pass through unchanged, so they may exceed ±1 if the file does.
public enum AudioFile {
    /// Sample rates accepted for reading and writing, in Hz: 1 kHz (nothing speech-like survives below it)
    /// to 384 kHz (the highest rate common recording hardware offers); anything else is a broken header.
    public static let supportedSampleRates: ClosedRange<Int> = 1000...384_000

    /// Frames decoded per libsndfile call while reading a file: 64 Ki frames is big enough that call
    /// overhead vanishes and small enough that the interleaved scratch buffer stays small.
    static let readBlockFrames = 65_536

    /// The header of the file at `path`: rate (Hz), channels, frames, format. Does not decode samples, nor
    /// check them (a rate outside `supportedSampleRates` is reported, not rejected). A pipe's header is read
    /// from the pipe and so used up: read a pipe once, with `AudioFileReader`.
    public static func info(path: String) throws(AudioError) -> AudioInfo {
        AudioInfo(header: try open(path))
    }

    /// Decodes the whole file at `path` to mono at its own sample rate: `AudioFileReader` read to the end.
    ///
    /// Throws `AudioError` naming the path: `.notFound`, `.isDirectory`, `.empty`, `.unreadable` (not audio),
    /// `.unsupportedRate`, `.truncated` (header promises more frames than the file holds), `.noSamples`,
    /// `.nonFiniteSample` (NaN or infinity in a float file), `.ioError`.
    public static func read(path: String) throws(AudioError) -> AudioBuffer {
        let reader = try AudioFileReader(path: path)
        var samples: [Float] = []
        samples.reserveCapacity(reader.info.frames ?? readBlockFrames)
        while try reader.read(maxFrames: readBlockFrames, appendingTo: &samples) {}
        return AudioBuffer(samples: samples, sampleRate: reader.info.sampleRate)
    }

    /// Decodes the file at `path` to mono at `sampleRate` (Hz), resampling with `Resampler` when the file's
    /// rate differs. The result holds `round(n · sampleRate / fileRate)` samples, aligned in time with the file.
    public static func read(path: String, sampleRate: Int) throws(AudioError) -> AudioBuffer {
        try checkRate(sampleRate, path: path)
        let native = try read(path: path)
        if native.sampleRate == sampleRate { return native }
        let samples = Resampler.resample(native.samples, from: native.sampleRate, to: sampleRate)
        return AudioBuffer(samples: samples, sampleRate: sampleRate)
    }

    /// Checks that `path` names a non-empty regular file we can read, then opens it with libsndfile.
    static func open(_ path: String) throws(AudioError) -> SndFileHandle {
        var status = stat()
        if stat(path, &status) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw AudioError(path: path, reason: .notFound) }
            throw AudioError(path: path, reason: .ioError(systemMessage(code)))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw AudioError(path: path, reason: .isDirectory) }
        if (status.st_mode & S_IFMT) == S_IFREG, status.st_size == 0 {
            throw AudioError(path: path, reason: .empty)
        }
        if access(path, R_OK) != 0 { throw AudioError(path: path, reason: .ioError(systemMessage(errno))) }
        return try SndFileHandle(readingPath: path)
    }

    /// Throws `.unsupportedRate` unless `rate` (Hz) is in `supportedSampleRates`.
    static func checkRate(_ rate: Int, path: String) throws(AudioError) {
        if !supportedSampleRates.contains(rate) { throw AudioError(path: path, reason: .unsupportedRate(rate)) }
    }

    /// The C library's text for an errno value, e.g. "Permission denied".
    static func systemMessage(_ code: Int32) -> String { String(cString: strerror(code)) }
}
