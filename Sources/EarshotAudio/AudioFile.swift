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

    /// The header of the file at `path`: rate (Hz), channels, frames, format. Does not decode samples.
    public static func info(path: String) throws(AudioError) -> AudioInfo {
        let file = try open(path)
        return AudioInfo(
            sampleRate: file.sampleRate, channels: file.channels, frames: file.declaredFrames,
            format: file.format.description)
    }

    /// Decodes the whole file at `path` to mono at its own sample rate.
    ///
    /// Throws `AudioError` naming the path: `.notFound`, `.isDirectory`, `.empty`, `.unreadable` (not audio),
    /// `.unsupportedRate`, `.truncated` (header promises more frames than the file holds), `.noSamples`,
    /// `.nonFiniteSample` (NaN or infinity in a float file), `.ioError`.
    public static func read(path: String) throws(AudioError) -> AudioBuffer {
        let file = try open(path)
        try checkRate(file.sampleRate, path: path)
        let declared = file.declaredFrames
        if declared == 0 { throw AudioError(path: path, reason: .noSamples) }
        if file.format.isRIFFWave, let header = WAVHeader.read(path: path), header.isTruncated,
            let expected = header.declaredFrames
        {
            throw AudioError(path: path, reason: .truncated(expectedFrames: expected, actualFrames: declared ?? 0))
        }

        var samples: [Float] = []
        samples.reserveCapacity(declared ?? readBlockFrames)
        let channels = file.channels
        var block = [Float](repeating: 0, count: readBlockFrames * channels)  // (frames, channels) interleaved
        try block.withUnsafeMutableBufferPointer { (scratch) throws(AudioError) in
            let base = scratch.baseAddress!
            while true {
                let frames = try file.read(into: base, frames: readBlockFrames)
                if frames == 0 { break }
                ChannelMixdown.append(interleaved: base, frames: frames, channels: channels, to: &samples)
            }
        }

        if samples.isEmpty { throw AudioError(path: path, reason: .noSamples) }
        // libsndfile stops early, without an error, on a cut-off FLAC; its header still has the full length.
        if let declared, samples.count < declared {
            throw AudioError(path: path, reason: .truncated(expectedFrames: declared, actualFrames: samples.count))
        }
        if file.format.isFloatingPoint,
            let index = samples.withUnsafeBufferPointer({ ChannelMixdown.firstNonFinite($0) })
        {
            throw AudioError(path: path, reason: .nonFiniteSample(index: index))
        }
        return AudioBuffer(samples: samples, sampleRate: file.sampleRate)
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
