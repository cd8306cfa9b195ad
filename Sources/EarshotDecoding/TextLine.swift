/// One line of a text file as `TextLineReader` hands it out: its number, where it starts, and its bytes, or
/// only its length when it was longer than the reader keeps.
public struct TextLine: Sendable, Equatable {
    /// 1-based.
    public var number: Int
    /// The file offset of its first byte.
    public var offset: Int
    public var content: Content
    /// The file's path or the stream's name, for errors.
    public var name: String

    public enum Content: Sendable, Equatable {
        /// The line's bytes, without its line break.
        case bytes([UInt8])
        /// A line of `byteCount` bytes, more than the reader's `maximumLineLength` (`limit`): not kept.
        case tooLong(byteCount: Int, limit: Int)
    }

    public init(number: Int, offset: Int, content: Content, name: String) {
        self.number = number
        self.offset = offset
        self.content = content
        self.name = name
    }

    /// The line as text.
    /// - Throws: `TextFileError` naming the file and the line: `.lineTooLong`, or `.notUTF8` with the file
    ///   offset of the first byte that is not UTF-8.
    public func text() throws(TextFileError) -> String {
        switch content {
        case .tooLong(let byteCount, let limit):
            throw TextFileError(path: name, line: number, reason: .lineTooLong(byteCount: byteCount, limit: limit))
        case .bytes(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            throw TextFileError(
                path: name, line: number, reason: .notUTF8(offset: offset + Self.firstInvalidByte(bytes)))
        }
    }

    /// The index of the first byte of `bytes` that does not belong to a valid UTF-8 sequence.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var input = bytes.makeIterator()
        var position = 0
        while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let scalar): position += scalar.count
            case .error: return position
            case .emptyInput: return position
            }
        }
    }
}
