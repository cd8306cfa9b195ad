#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads audio from a file descriptor — stdin (0), a pipe, a socket or a file — block by block, as mono
/// `Float` samples at the stream's own rate, in constant memory however long the stream.
///
/// The descriptor is never seeked or closed (the caller owns it). Reads block until a whole block has
/// arrived, so each `read(maxFrames:)` returns exactly `maxFrames` samples except the last one before the
/// end of the stream — for live input, `maxFrames / sampleRate` seconds is the added latency. Channels are
/// mixed to mono by averaging, as in `AudioFile`. A WAV stream's length fields are ignored (on a pipe they
/// are meaningless): reading stops when the stream ends, so a cut-off stream is not reported as truncated.
///
/// Raw streams: a final frame cut short (e.g. an odd byte count of s16le) is dropped at end of stream and
/// counted in `droppedTrailingBytes`, so a producer killed mid-write still yields everything complete.
public final class AudioStreamReader {
    /// The name standard input goes by in error messages.
    public static let standardInputName = "<stdin>"
    /// The stream's name in error messages, e.g. `<stdin>`.
    public let name: String
    /// Samples per second (Hz) of the stream and of the samples `read` returns.
    public let sampleRate: Int
    /// Interleaved channels in the stream (returned samples are mono).
    public let channels: Int
    /// Mono samples returned so far.
    public private(set) var framesRead = 0
    /// Bytes of an incomplete final frame dropped at the end of a raw stream (0 for complete streams).
    public private(set) var droppedTrailingBytes = 0

    private enum Source {
        case sndfile(SndFileHandle, isFloatingPoint: Bool)
        case raw(fd: Int32, encoding: RawSampleEncoding)
    }
    private let source: Source
    private var atEnd = false
    /// A raw stream's read(2) has returned 0.
    private var rawEnded = false
    /// Interleaved samples of one block, (frames, channels); reused across reads.
    private var interleaved: [Float] = []
    /// Raw bytes of one block (raw streams only); reused across reads.
    private var bytes: [UInt8] = []

    /// Starts reading `fileDescriptor` as `format`. For `.wav` this reads the header (blocking until it
    /// arrives; a RIFF, RIFX or RF64 stream's head is read here, chunk by chunk, before libsndfile sees it: a
    /// stream that ends inside it is `.streamHeader`, see `WAVStreamHead`); throws `.unreadable` if it is not audio, `.unsupportedRate` for a rate outside
    /// `AudioFile.supportedSampleRates` (both formats), `.unreadable` for a raw channel count below 1.
    public init(fileDescriptor: Int32, format: StreamFormat, name: String = standardInputName) throws(AudioError) {
        self.name = name
        switch format {
        case .wav:
            // The head first (a stream cut inside it is an error here, not a libsndfile loop), then libsndfile
            // on a pipe that gives it the head and the rest of the stream.
            let file = try SndFileHandle(readingStream: fileDescriptor, name: name)
            try AudioFile.checkRate(file.sampleRate, path: name)
            sampleRate = file.sampleRate
            channels = file.channels
            source = .sndfile(file, isFloatingPoint: file.format.isFloatingPoint)
        case .raw(let rate, let encoding, let channels):
            try AudioFile.checkRate(rate, path: name)
            guard channels >= 1 else {
                throw AudioError(
                    path: name, reason: .unreadable("a raw stream needs at least 1 channel, got \(channels)"))
            }
            sampleRate = rate
            self.channels = channels
            source = .raw(fd: fileDescriptor, encoding: encoding)
        }
    }

    /// The next `maxFrames` (> 0) mono samples, fewer only at the end of the stream; `nil` once it has ended.
    /// Throws `.noSamples` if the stream ends before a single sample, `.nonFiniteSample` (index counted from
    /// the start of the stream) for NaN or infinity in float data, `.ioError` if reading fails.
    public func read(maxFrames: Int) throws(AudioError) -> [Float]? {
        precondition(maxFrames > 0, "AudioStreamReader.read: maxFrames must be positive")
        if atEnd { return nil }
        if interleaved.count < maxFrames * channels {
            interleaved = [Float](repeating: 0, count: maxFrames * channels)
        }
        let frames: Int
        let checkFinite: Bool
        switch source {
        case .sndfile(let file, let isFloatingPoint):
            frames = try interleaved.withUnsafeMutableBufferPointer { (buffer) throws(AudioError) in
                try file.read(into: buffer.baseAddress!, frames: maxFrames)
            }
            checkFinite = isFloatingPoint
        case .raw(let fd, let encoding):
            frames = try readRaw(fd: fd, encoding: encoding, maxFrames: maxFrames)
            checkFinite = encoding == .f32le
        }

        if frames == 0 {
            atEnd = true
            if framesRead == 0 { throw AudioError(path: name, reason: .noSamples) }
            return nil
        }
        var mono: [Float] = []
        mono.reserveCapacity(frames)
        interleaved.withUnsafeBufferPointer {
            ChannelMixdown.append(interleaved: $0.baseAddress!, frames: frames, channels: channels, to: &mono)
        }
        if checkFinite, let index = mono.withUnsafeBufferPointer({ ChannelMixdown.firstNonFinite($0) }) {
            throw AudioError(path: name, reason: .nonFiniteSample(index: framesRead + index))
        }
        framesRead += frames
        return mono
    }

    /// Fills `bytes` with up to `maxFrames` whole frames (looping over short reads until the block is full
    /// or the stream ends) and decodes them into `interleaved`. Returns the frames decoded.
    private func readRaw(fd: Int32, encoding: RawSampleEncoding, maxFrames: Int) throws(AudioError) -> Int {
        let frameBytes = channels * encoding.bytesPerSample
        let wanted = maxFrames * frameBytes
        if bytes.count < wanted { bytes = [UInt8](repeating: 0, count: wanted) }
        var filled = 0
        if !rawEnded {
            filled = try readFully(fd, into: &bytes, at: 0, count: wanted, name: name)
            rawEnded = filled < wanted  // read no further: a terminal would hand out more after Ctrl-D
        }
        let frames = filled / frameBytes
        droppedTrailingBytes += filled - frames * frameBytes  // nonzero only at the end of the stream

        let count = frames * channels
        bytes.withUnsafeBytes { raw in
            interleaved.withUnsafeMutableBufferPointer { out in
                switch encoding {
                case .s16le:
                    for k in 0..<count {
                        let value = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: Int16.self))
                        out[k] = Float(value) * (1 / 32768)
                    }
                case .f32le:
                    for k in 0..<count {
                        let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))
                        out[k] = Float(bitPattern: bits)
                    }
                }
            }
        }
        return frames
    }
}

/// Reads `count` bytes from `fd` into `bytes` from `offset` on (the array holds them already), looping over short
/// reads and interrupted calls (EINTR), and waiting for data (poll) on a non-blocking descriptor; fewer only when
/// the stream ends. Returns how many came.
/// - Throws: `AudioError` `.ioError` naming `name` with the system's reason for any other failure.
func readFully(_ fd: Int32, into bytes: inout [UInt8], at offset: Int, count: Int, name: String) throws(AudioError)
    -> Int
{
    precondition(
        offset >= 0 && offset + count <= bytes.count, "readFully: \(count) bytes at \(offset) overrun the array")
    var filled = 0
    while filled < count {
        let got = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + offset + filled, count - filled) }
        if got > 0 {
            filled += got
        } else if got == 0 {
            break
        } else if errno == EINTR {
            continue
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            var waiter = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&waiter, 1, -1)  // a non-blocking descriptor: wait for data, then read again
        } else {
            throw AudioError(path: name, reason: .ioError(AudioFile.systemMessage(errno)))
        }
    }
    return filled
}

/// read(2), named apart from `AudioStreamReader.read(maxFrames:)` and `WAVStreamHead.read(from:name:)`.
func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Darwin.read(fd, buffer, count)
    #endif
}
