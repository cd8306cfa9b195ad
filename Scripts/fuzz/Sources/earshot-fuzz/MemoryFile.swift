import CFuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// An anonymous in-memory file (memfd) whose contents each input replaces, for parsers that take a path:
/// they open `path` (`/proc/self/fd/N`) as they would any regular file, and nothing is left on disk.
///
/// `@unchecked Sendable`: libFuzzer runs one input at a time, on one thread.
final class MemoryFile: @unchecked Sendable {
    /// The memfd's descriptor, open for the process's lifetime.
    let descriptor: Int32
    /// A path that opens the file afresh (at offset 0).
    let path: String

    /// Creates the file; `name` shows only in `/proc/self/fd` listings.
    init(name: String) {
        descriptor = fuzz_memfd_create(name)
        precondition(descriptor >= 0, "memfd_create failed: \(String(cString: strerror(errno)))")
        path = "/proc/self/fd/\(descriptor)"
    }

    /// Makes `bytes` the whole file.
    func replaceContents(with bytes: [UInt8]) {
        precondition(ftruncate(descriptor, 0) == 0, "ftruncate failed")
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress! + done, $0.count - done, off_t(done))
            }
            precondition(wrote > 0, "pwrite failed: \(String(cString: strerror(errno)))")
            done += wrote
        }
    }
}
