/// Why a text could not be learnt from (`NGramCounts.add(corpus:words:)`); the description names the file
/// and, when one is at fault, the line.
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read, a line is not UTF-8 (`TextFileError.Reason.notUTF8`, with the byte offset)
    /// or longer than the reader's limit.
    case file(TextFileError)
    /// More than half of the `lines` non-blank lines of the file (`unusable` of them, the first at line
    /// `firstLine`) give no word in the alphabet: binary data or text in another script, not sentences.
    case mostlyUnusable(path: String, unusable: Int, lines: Int, firstLine: Int)

    public var description: String {
        switch self {
        case .file(let error): return error.description
        case .mostlyUnusable(let path, let unusable, let lines, let firstLine):
            return
                "\(path): \(unusable) of \(lines) lines give no word in the alphabet (the first: line \(firstLine)); "
                + "more than half is not text to learn from"
        }
    }
}
