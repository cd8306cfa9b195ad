import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open libsndfile handle, for reading or writing; closed on `close()` or deinit.
///
/// The only place that calls `sf_open*`; every libsndfile failure becomes an `AudioError` naming `name`.
final class SndFileHandle {
    /// The path or stream name used in error messages.
    let name: String
    private var handle: OpaquePointer?
    private let info: SF_INFO
    /// True for a regular file; false for a pipe, socket or terminal. (libsndfile's own `seekable` is false for
    /// a regular file of G.72x audio too, which it cannot seek in.)
    let isRegularFile: Bool
    /// For a stream, the pipe libsndfile reads: the stream's head, then the rest of it (`init(readingStream:)`).
    private var feed: StreamFeed?
    /// A descriptor this handle opened, closed with it (after `feed` has stopped reading it).
    private let ownedDescriptor: Int32?

    /// Opens the file at `path` for reading. A path that names anything but a regular file — a named pipe,
    /// `/dev/stdin`, process substitution's `/dev/fd/63` — is opened once and read as a stream
    /// (`init(readingStream:name:ownsDescriptor:)`): libsndfile itself, on a pipe, loops for ever on a WAV cut
    /// inside the header of a chunk (FUZZING.md, finding 6).
    convenience init(readingPath path: String) throws(AudioError) {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw AudioError(path: path, reason: .ioError(AudioFile.systemMessage(errno))) }
            do {
                try self.init(readingStream: fd, name: path, ownsDescriptor: true)
            } catch {
                Glibc.close(fd)
                throw error
            }
            return
        }
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            throw AudioError(path: path, reason: .unreadable(Self.lastOpenError()))
        }
        try self.init(reading: handle, info: info, name: path, isRegularFile: true)
    }

    /// Reads a self-describing stream (e.g. a WAV stream) from the open descriptor `fd` — a pipe, a socket, or
    /// a file read as one — named `name` in errors. A WAV stream's head is read first (`WAVStreamHead`: a stream
    /// cut inside it is `.streamHeader`), then libsndfile reads a pipe that gives it the head and the rest
    /// (`StreamFeed`). `fd` is closed with the handle when `ownsDescriptor`; otherwise it stays open.
    convenience init(readingStream fd: Int32, name: String, ownsDescriptor: Bool = false) throws(AudioError) {
        let head = try WAVStreamHead.read(from: fd, name: name)
        let feed = try StreamFeed(head: head.bytes, source: fd, name: name)
        var info = SF_INFO()
        guard let handle = sf_open_fd(feed.readEnd, Int32(SFM_READ), &info, 0) else {
            throw AudioError(path: name, reason: .unreadable(Self.lastOpenError()))
        }
        try self.init(
            reading: handle, info: info, name: name, isRegularFile: false, feed: feed,
            ownedDescriptor: ownsDescriptor ? fd : nil)
    }

    /// Takes over a handle libsndfile opened for reading; closes it and throws when `checkReadable` refuses it.
    private init(
        reading handle: OpaquePointer, info: SF_INFO, name: String, isRegularFile: Bool, feed: StreamFeed? = nil,
        ownedDescriptor: Int32? = nil
    ) throws(AudioError) {
        try Self.checkReadable(handle, info, name: name, isRegularFile: isRegularFile)
        self.name = name
        self.handle = handle
        self.info = info
        self.isRegularFile = isRegularFile
        self.feed = feed
        self.ownedDescriptor = ownedDescriptor
    }

    /// Closes `handle` and throws `.notReadableFromPipe` when it reads anything but a regular file in an
    /// encoding libsndfile decodes past the end of a pipe (`SoundFileFormat.canBeReadFromPipe`).
    private static func checkReadable(_ handle: OpaquePointer, _ info: SF_INFO, name: String, isRegularFile: Bool)
        throws(AudioError)
    {
        let format = SoundFileFormat(code: info.format)
        guard !isRegularFile, !format.canBeReadFromPipe else { return }
        sf_close(handle)
        throw AudioError(path: name, reason: .notReadableFromPipe(format: format.description))
    }

    /// True when `fd` is open on a regular file.
    private static func isRegularFile(_ fd: Int32) -> Bool {
        var status = stat()
        return fstat(fd, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Writes a new sound file into the open descriptor `fd` (named `name` in errors), which stays open when the
    /// handle closes. Float samples beyond ±1 are clipped, not wrapped, when the encoding is integer.
    init(writingFileDescriptor fd: Int32, name: String, format: SoundFileFormat, sampleRate: Int, channels: Int)
        throws(AudioError)
    {
        var info = SF_INFO()
        info.samplerate = Int32(clamping: sampleRate)
        info.channels = Int32(clamping: channels)
        info.format = format.code
        guard sf_format_check(&info) == Int32(SF_TRUE) else {
            throw AudioError(
                path: name,
                reason: .ioError(
                    "libsndfile cannot write \(format.description), \(channels) channels, \(sampleRate) Hz"))
        }
        guard let handle = sf_open_fd(fd, Int32(SFM_WRITE), &info, 0) else {
            throw AudioError(path: name, reason: .ioError(Self.lastOpenError()))
        }
        sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        self.name = name
        self.handle = handle
        self.info = info
        self.isRegularFile = Self.isRegularFile(fd)
        self.feed = nil
        self.ownedDescriptor = nil
    }

    /// Closes the handle, then stops the feed, then closes the descriptor it read.
    deinit {
        if let handle { sf_close(handle) }
        feed = nil
        if let ownedDescriptor { Glibc.close(ownedDescriptor) }
    }

    /// Samples per second per channel (Hz).
    var sampleRate: Int { Int(info.samplerate) }
    /// Interleaved channels.
    var channels: Int { Int(info.channels) }
    /// Container and encoding.
    var format: SoundFileFormat { SoundFileFormat(code: info.format) }

    /// Frames the header declares, or `nil` when unknown: when libsndfile says `SF_COUNT_MAX` (e.g. OGG
    /// without a length), or on a pipe, where only a WAV's count is kept (`framesDeclaredByWAVOnPipe`).
    var declaredFrames: Int? {
        guard info.frames >= 0, info.frames < Int64.max else { return nil }
        return isRegularFile ? Int(info.frames) : framesDeclaredByWAVOnPipe
    }

    /// On a pipe libsndfile cannot measure the file, so its frame count is the header's claim unchecked: for a
    /// WAV, the `data` chunk's size over the frame size. That is kept, unless the size is what writers that
    /// stream a WAV put there because they cannot know the length: 0, or `streamingLengthPlaceholder` bytes or
    /// more. Other containers' counts on a pipe are not kept.
    private var framesDeclaredByWAVOnPipe: Int? {
        guard format.isRIFFWave, let bytesPerSample = format.bytesPerSample, info.frames > 0 else { return nil }
        let dataBytes = Int(info.frames) * bytesPerSample * channels
        return dataBytes < Self.streamingLengthPlaceholder ? Int(info.frames) : nil
    }

    /// The smallest `data` size (bytes) read as "length unknown" in a WAV stream: sox writes 0x7FFFF000,
    /// arecord 0x7FFFFFFF, ffmpeg 0xFFFFFFFF. (A WAV of 2 GiB or more read through a pipe is therefore not
    /// checked for truncation.)
    static let streamingLengthPlaceholder = 0x7FFF_F000

    /// Reads up to `frames` interleaved frames into `buffer` (room for `frames * channels` floats).
    /// Integer encodings are scaled to [-1, 1); returns the frames read, 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) throws(AudioError) -> Int {
        guard let handle else { return 0 }
        let count = Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
        if count == 0, sf_error(handle) != 0 {
            throw AudioError(path: name, reason: .ioError(String(cString: sf_strerror(handle))))
        }
        return count
    }

    /// Writes `frames` interleaved frames from `buffer`.
    func write(_ buffer: UnsafePointer<Float>, frames: Int) throws(AudioError) {
        guard let handle else { return }
        let written = Int(sf_writef_float(handle, buffer, sf_count_t(frames)))
        if written != frames {
            throw AudioError(path: name, reason: .ioError(String(cString: sf_strerror(handle))))
        }
    }

    /// Closes the handle, reporting a failure to flush (a full disk shows up here for writes).
    func close() throws(AudioError) {
        guard let handle else { return }
        self.handle = nil
        let status = sf_close(handle)
        if status != 0 {
            throw AudioError(path: name, reason: .ioError(String(cString: sf_error_number(status))))
        }
    }

    /// libsndfile's log of how it parsed the header (for diagnostics).
    var log: String {
        guard let handle else { return "" }
        var text = [UInt8](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &text, Int32(text.count))
        return String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The reason `sf_open*` last failed, in libsndfile's words, with its "System error : " prefix removed.
    private static func lastOpenError() -> String {
        let message = String(cString: sf_strerror(nil))
        let prefix = "System error : "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }
}
