/// Why a text file (a manifest, a language-model corpus) could not be read as lines of text. The description
/// reads `<path>:<line>: <cause>`, or `<path>: <cause>` when no line is at fault.
public struct TextFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given, or the stream's name.
    public var path: String
    /// The 1-based line at fault, if one is.
    public var line: Int?
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// Nothing exists at the path.
        case notFound
        /// The path names a directory.
        case isDirectory
        /// Opening or reading failed; the system's words.
        case unreadable(String)
        /// The line holds a byte that is not UTF-8 at this offset of the file.
        case notUTF8(offset: Int)
        /// The line has `byteCount` bytes, more than `limit`.
        case lineTooLong(byteCount: Int, limit: Int)
    }

    public init(path: String, line: Int?, reason: Reason) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// The cause, without the path and line.
    public var cause: String {
        switch reason {
        case .notFound: return "no such file"
        case .isDirectory: return "is a directory, not a text file"
        case .unreadable(let message): return "cannot be read: \(message)"
        case .notUTF8(let offset): return "not UTF-8 text (an invalid byte at offset \(offset) of the file)"
        case .lineTooLong(let byteCount, let limit):
            let mebibytes = limit % (1 << 20) == 0 ? " (\(limit >> 20) MiB)" : ""
            return "the line is longer than the limit of \(limit) bytes\(mebibytes): \(byteCount) bytes"
        }
    }

    public var description: String {
        if let line { return "\(path):\(line): \(cause)" }
        return "\(path): \(cause)"
    }
}
