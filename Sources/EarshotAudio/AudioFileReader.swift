/// Reads an audio file from disk block by block, as mono `Float` samples at the file's own rate, with every
/// check `AudioFile.read` makes; memory is one scratch block, however long the file.
///
/// The file is opened once, by `init`, which also checks everything the header can tell: that the path is a
/// non-empty readable audio file, its rate, a declared length of 0 frames, and a WAV whose `data` chunk
/// promises more bytes than the file holds. The rest is checked as the samples arrive: NaN or infinity in a
/// float file (at the block holding it), and, at the end, that the file held every frame its header declares
/// (libsndfile stops early, without an error, on a cut-off FLAC) and at least one. Channels are mixed to mono
/// by averaging; integer encodings come out in [-1, 1), float encodings unchanged (see `AudioFile`).
///
/// A path that names a pipe (a named pipe, process substitution's `/dev/fd/63`) is read the same way and opened
/// once only: a second open would find nothing left to read, or wait for a writer that has gone. Its size is
/// unknown, so a cut-off WAV arriving through it is found by counting its frames at the end against the
/// header (see `SndFileHandle.declaredFrames` for the lengths that promise nothing).
public final class AudioFileReader {
    /// The file's path, as given; every error names it.
    public let path: String
    /// What the header says: rate (Hz), channels, declared frames, format.
    public let info: AudioInfo
    /// Mono samples (= frames) returned so far.
    public private(set) var framesRead = 0

    private let file: SndFileHandle
    /// The encoding stores floats, so samples may be NaN or infinite.
    private let isFloatingPoint: Bool
    /// The end of the data has been reached and checked; every further read returns nothing.
    private var atEnd = false
    /// Interleaved samples of one block, (frames, channels); reused across reads.
    private var interleaved: [Float] = []

    /// Opens the file at `path` and checks its header.
    ///
    /// Throws `AudioError` naming the path: `.notFound`, `.isDirectory`, `.empty`, `.unreadable` (not audio),
    /// `.ioError`, `.unsupportedRate` (outside `AudioFile.supportedSampleRates`), `.noSamples` (the header
    /// declares 0 frames), `.truncated` (a WAV whose header promises more frames than the file holds).
    public init(path: String) throws(AudioError) {
        let file = try AudioFile.open(path)
        try AudioFile.checkRate(file.sampleRate, path: path)
        try Self.checkDeclaredLength(of: file, path: path)
        self.path = path
        self.file = file
        self.info = AudioInfo(header: file)
        self.isFloatingPoint = file.format.isFloatingPoint
    }

    /// The next `maxFrames` (> 0) mono samples, fewer only at the end of the file; `nil` once it has ended.
    ///
    /// Throws `.nonFiniteSample` (index counted from the start of the file) for NaN or infinity in a float
    /// file, `.ioError` if decoding fails, and at the end `.noSamples` if the file held no sample or
    /// `.truncated` if it held fewer frames than its header declares.
    public func read(maxFrames: Int) throws(AudioError) -> [Float]? {
        var block: [Float] = []
        guard try read(maxFrames: maxFrames, appendingTo: &block) else { return nil }
        return block
    }

    /// Appends the next `maxFrames` (> 0) mono samples, fewer only at the end of the file, to `output`;
    /// returns false, appending nothing, once the file has ended. Throws as `read(maxFrames:)`.
    ///
    /// 1. Decodes up to `maxFrames` interleaved frames into the scratch block.
    /// 2. At the end of the data, checks the frames read against the header and returns false.
    /// 3. Appends the frames mixed down to mono.
    /// 4. In a float file, checks the new samples are finite.
    func read(maxFrames: Int, appendingTo output: inout [Float]) throws(AudioError) -> Bool {
        precondition(maxFrames > 0, "AudioFileReader.read: maxFrames must be positive")
        if atEnd { return false }
        let frames = try decode(maxFrames: maxFrames)
        if frames == 0 {
            atEnd = true
            try checkLengthAtEnd()
            return false
        }
        let start = output.count
        interleaved.withUnsafeBufferPointer {
            ChannelMixdown.append(interleaved: $0.baseAddress!, frames: frames, channels: info.channels, to: &output)
        }
        if isFloatingPoint,
            let index = output[start...].withUnsafeBufferPointer({ ChannelMixdown.firstNonFinite($0) })
        {
            throw AudioError(path: path, reason: .nonFiniteSample(index: framesRead + index))
        }
        framesRead += frames
        return true
    }

    /// Decodes up to `maxFrames` frames into `interleaved` (grown to `maxFrames · channels` floats if
    /// smaller); returns the frames decoded, 0 at the end of the data.
    private func decode(maxFrames: Int) throws(AudioError) -> Int {
        let count = maxFrames * info.channels
        if interleaved.count < count { interleaved = [Float](repeating: 0, count: count) }
        return try interleaved.withUnsafeMutableBufferPointer { (scratch) throws(AudioError) in
            try file.read(into: scratch.baseAddress!, frames: maxFrames)
        }
    }

    /// Throws `.noSamples` if no frame was read, `.truncated` if fewer frames were read than the header
    /// declares (libsndfile ends a cut-off FLAC early without an error; its header keeps the full length).
    private func checkLengthAtEnd() throws(AudioError) {
        if framesRead == 0 { throw AudioError(path: path, reason: .noSamples) }
        if let declared = info.frames, framesRead < declared {
            throw AudioError(path: path, reason: .truncated(expectedFrames: declared, actualFrames: framesRead))
        }
    }

    /// Throws `.noSamples` if the header of `file` declares 0 frames, `.truncated` if it is a WAV file whose
    /// `data` chunk promises more bytes than the file holds (libsndfile would quietly read what is there), told
    /// in frames, or `.truncatedData`, in bytes, for encodings without a fixed frame size (ADPCM, GSM 6.10, …;
    /// their `fmt ` block size spans many frames). The second check opens the file again to read its header, so
    /// it is made for regular files only: a pipe is checked at its end instead.
    private static func checkDeclaredLength(of file: SndFileHandle, path: String) throws(AudioError) {
        let declared = file.declaredFrames
        if declared == 0 { throw AudioError(path: path, reason: .noSamples) }
        guard file.isRegularFile, file.format.isRIFFWave, let header = WAVHeader.read(path: path), header.isTruncated,
            let declaredBytes = header.declaredDataBytes
        else { return }
        if file.format.bytesPerSample != nil, let expected = header.declaredFrames {
            throw AudioError(path: path, reason: .truncated(expectedFrames: expected, actualFrames: declared ?? 0))
        }
        throw AudioError(
            path: path, reason: .truncatedData(declaredBytes: declaredBytes, actualBytes: header.presentDataBytes))
    }
}
