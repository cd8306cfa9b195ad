#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system call that failed on a path: which path, the step, and the system's reason. The description
/// reads `<path>: <operation> failed: <system message>`, as `AtomicFileError`'s does, e.g.
/// `lm.arpa: read failed: Is a directory`.
public struct FileSystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path the call was made on.
    public var path: String
    /// The step that failed: "open", "read", "create folder".
    public var operation: String
    /// The `errno` value of the failure.
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The system's message for `code` (e.g. "Is a directory").
    public var message: String { String(cString: strerror(code)) }

    public var description: String { "\(path): \(operation) failed: \(message)" }
}
