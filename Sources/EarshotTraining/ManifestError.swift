/// Why a manifest cannot be used; `description` is fit to print as is.
public enum ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file itself cannot be read (missing, a directory, unreadable, not UTF-8 text).
    case unreadable(path: String, cause: String)
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
        case .unrecognizedFormat(let path, let cause): return "\(path): \(cause)"
        case .empty(let path): return "\(path): the manifest has no entries"
        case .invalidEntries(let problems): return problems.map(\.description).joined(separator: "\n")
        }
    }
}
