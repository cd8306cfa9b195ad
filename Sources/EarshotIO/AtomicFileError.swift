/// Why `AtomicFile` could not replace a file; the old file, if any, is untouched and no temporary file
/// is left behind. The description reads `<path>: <operation> failed: <system message>`.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file that was to be written.
    public var path: String
    /// The step that failed: "create temporary file", "write", "fsync", "close", "rename".
    public var operation: String
    /// The system's message for `errno` (e.g. "No space left on device").
    public var message: String

    public init(path: String, operation: String, message: String) {
        self.path = path
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(path): \(operation) failed: \(message)" }
}
