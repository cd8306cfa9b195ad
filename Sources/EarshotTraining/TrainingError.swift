/// Why training could not start or go on; one line each, naming the file involved.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// An utterance's audio could not be turned into features.
    case audio(path: String, cause: String)
    /// A checkpoint or model could not be read or does not fit the run.
    case checkpoint(path: String, cause: String)
    /// Nothing left to train on (e.g. every line of the manifest was invalid).
    case noData(String)
    /// Options that cannot work together.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .audio(let path, let cause): return "\(path): \(cause)"
        case .checkpoint(let path, let cause): return "\(path): \(cause)"
        case .noData(let text): return text
        case .invalidOptions(let text): return text
        }
    }
}
