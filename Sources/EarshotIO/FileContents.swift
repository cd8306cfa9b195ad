import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a whole file by `read(2)` until its end, so that a named pipe, process substitution's
/// `/dev/fd/63` or a device is read like a regular file (`FileManager.contents(atPath:)` gives up on them),
/// and a failure carries the system's reason instead of a Foundation error code.
public enum FileContents {
    /// Bytes read per `read(2)` call.
    static let blockBytes = 1 << 16

    /// The bytes of `path`, read to its end.
    ///
    /// 1. Opens `path` for reading (a named pipe waits here for its writer, as `cat` does).
    /// 2. Reads blocks until the end, retrying interrupted reads.
    ///
    /// Throws `FileSystemError` naming `path`: "open" failed (no such file, permission denied) or "read"
    /// failed (a folder: "Is a directory"; an I/O error).
    public static func read(path: String) throws(FileSystemError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, operation: "open", code: errno) }
        defer { _ = close(descriptor) }
        var data = Data()
        var block = [UInt8](repeating: 0, count: blockBytes)
        while true {
            let count = block.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count > 0 {
                data.append(contentsOf: block[..<count])
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw FileSystemError(path: path, operation: "read", code: errno)
            }
        }
    }
}

/// read(2), named apart from `FileContents.read(path:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
    #else
        Darwin.read(descriptor, buffer, count)
    #endif
}
