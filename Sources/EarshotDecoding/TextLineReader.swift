#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a text file (or standard input) line by line, holding at most one line of up to
/// `maximumLineLength` bytes: a longer line is skipped up to its end without being kept, and reported as
/// `.tooLong`, so a file of one giant line cannot exhaust memory. Manifests and language-model text are
/// read this way.
///
/// Lines end at `\n`; a `\r` before it is dropped with it. The bytes are handed out as they are: checking
/// them as UTF-8 is the caller's (`TextLine.text`), which can then name the line and byte at fault.
public final class TextLineReader {
    /// The longest line kept, in bytes without its line break: 1 MiB. A manifest line or a sentence is a
    /// few hundred bytes; a megabyte is a file that is not line-oriented text.
    public static let defaultMaximumLineLength = 1 << 20

    /// The file's path as given, or the stream's name (`-`): what errors name.
    public let name: String
    /// The longest line kept, in bytes.
    public let maximumLineLength: Int

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes read and not yet handed out: `buffer[start...]`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Lines handed out so far, and the file offset of the next line's first byte.
    private var lineNumber = 0
    private var offset = 0

    /// Bytes asked of the system per read: 64 KiB.
    static let blockSize = 1 << 16

    /// Opens the file at `path`.
    /// - Throws: `TextFileError` naming `path`: no such file, a directory, not readable.
    public init(path: String, maximumLineLength: Int = defaultMaximumLineLength) throws(TextFileError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw TextFileError(
                path: path, line: nil, reason: errno == ENOENT ? .notFound : .unreadable(Self.message()))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw TextFileError(path: path, line: nil, reason: .isDirectory) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TextFileError(path: path, line: nil, reason: .unreadable(Self.message())) }
        self.name = path
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.maximumLineLength = maximumLineLength
    }

    /// Reads the open descriptor `fileDescriptor` (standard input: 0), which stays open; `name` stands for
    /// it in errors.
    public init(fileDescriptor: Int32, name: String, maximumLineLength: Int = defaultMaximumLineLength) {
        self.name = name
        self.descriptor = fileDescriptor
        self.ownsDescriptor = false
        self.maximumLineLength = maximumLineLength
    }

    deinit {
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// The next line, or nil at the end of the file.
    /// 1. Looks for a line break in what is buffered, reading blocks until one comes, the file ends, or the
    ///    line passes `maximumLineLength`.
    /// 2. A line that passed the limit is skipped to its end, reading and dropping blocks, and returned as
    ///    `.tooLong` with its length.
    /// 3. Otherwise its bytes (without `\n` or `\r\n`) are returned.
    /// - Throws: `TextFileError.Reason.unreadable` when a read fails.
    public func next() throws(TextFileError) -> TextLine? {
        var searched = 0  // bytes after `start` known to hold no line break (`fill` may move `start`)
        while true {
            if let newline = buffer[(start + searched)...].firstIndex(of: UInt8(ascii: "\n")) {
                return line(endingAt: newline, breakLength: 1)
            }
            searched = buffer.count - start
            if buffer.count - start > maximumLineLength { return try skipLongLine() }
            if atEnd {
                return start < buffer.count ? line(endingAt: buffer.count, breakLength: 0) : nil
            }
            try fill()
        }
    }

    /// The line `buffer[start..<end]` (less a final `\r`), consuming it and its `breakLength` bytes of break;
    /// `.tooLong` when it has more than `maximumLineLength` bytes (the block that ended it can take it over).
    private func line(endingAt end: Int, breakLength: Int) -> TextLine {
        var last = end
        if last > start && buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
        lineNumber += 1
        let content: TextLine.Content =
            last - start > maximumLineLength
            ? .tooLong(byteCount: last - start, limit: maximumLineLength) : .bytes(Array(buffer[start..<last]))
        let result = TextLine(number: lineNumber, offset: offset, content: content, name: name)
        offset += end + breakLength - start
        start = end + breakLength
        return result
    }

    /// Drops the rest of a line longer than the limit, up to and with its line break.
    private func skipLongLine() throws(TextFileError) -> TextLine {
        lineNumber += 1
        let lineStart = offset
        var length = 0
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                length += newline - start
                offset += newline + 1 - start
                start = newline + 1
                break
            }
            length += buffer.count - start
            offset += buffer.count - start
            buffer.removeAll(keepingCapacity: true)
            start = 0
            if atEnd { break }
            try fill()
        }
        return TextLine(
            number: lineNumber, offset: lineStart, content: .tooLong(byteCount: length, limit: maximumLineLength),
            name: name)
    }

    /// Appends one block read from the file (dropping the bytes already handed out first); sets `atEnd` at
    /// the end of the file.
    private func fill() throws(TextFileError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.blockSize))
        var got = 0
        repeat {
            got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, Self.blockSize) }
        } while got < 0 && errno == EINTR
        guard got >= 0 else {
            buffer.removeLast(Self.blockSize)
            throw TextFileError(path: name, line: lineNumber + 1, reason: .unreadable(Self.message()))
        }
        buffer.removeLast(Self.blockSize - got)
        if got == 0 { atEnd = true }
    }

    /// The system's words for `errno`.
    private static func message() -> String { String(cString: strerror(errno)) }
}
