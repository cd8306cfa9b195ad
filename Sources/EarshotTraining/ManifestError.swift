import EarshotDecoding

/// Why a manifest cannot be used; `description` is fit to print as is.
public enum ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file itself cannot be read (missing, a directory, a failed read).
    case unreadable(path: String, cause: String)
    /// A line is not UTF-8 text: the error names the line and the offset of the byte at fault.
    case notText(TextFileError)
    /// The content is none of the formats `ManifestFormat` names, and the extension does not say.
    case unrecognizedFormat(path: String, cause: String)
    /// The manifest has no entries (only blank lines, comments or a header).
    case empty(path: String)
    /// Entries that cannot be trained on, every one of them, in line order.
    case invalidEntries([ManifestProblem])

    /// One line per problem (`train.tsv:12: audio/x.wav: no such file`), or one line for the others.
    public var description: String {
        switch self {
        case .unreadable(let path, let cause): return "\(path): \(cause)"
        case .notText(let error): return error.description
        case .unrecognizedFormat(let path, let cause): return "\(path): \(cause)"
        case .empty(let path): return "\(path): the manifest has no entries"
        case .invalidEntries(let problems): return problems.map(\.description).joined(separator: "\n")
        }
    }
}
