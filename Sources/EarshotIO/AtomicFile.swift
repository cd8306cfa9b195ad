import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replacing a file so that readers (and a crash or power loss) see either the old contents or the new,
/// never a mixture or a truncated file. Models and training checkpoints are written this way.
///
/// The recipe: write to a fresh temporary name in the *same directory* (so the final `rename` stays on
/// one file system, where POSIX makes it atomic), `fsync` the data, `rename` over the target, then
/// `fsync` the directory so the rename itself is durable. On any failure the temporary file is removed
/// and the target is left as it was.
///
/// The new file gets mode 0644 minus the umask, like `Data.write(to:options: .atomic)`; the old file's
/// permissions and any hard links to it are not carried over.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { writer in try writer.write(data) }
    }

    /// Replaces (or creates) the file at `path` with whatever `body` writes, so large files can be
    /// streamed out piece by piece without first being assembled in memory. If `body` throws, the
    /// error is rethrown unchanged and the old file stays intact.
    public static func write(to path: String, _ body: (Writer) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
            .path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw systemError(path, "create temporary file") }
        var isOpen = true
        do {
            try body(Writer(descriptor: descriptor, path: path))
            guard fsync(descriptor) == 0 else { throw systemError(path, "fsync") }
            isOpen = false
            guard close(descriptor) == 0 else { throw systemError(path, "close") }
            guard rename(temporary, path) == 0 else { throw systemError(path, "rename") }
        } catch {
            if isOpen { _ = close(descriptor) }
            _ = unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// Flushes the directory entry of a rename to disk. Best effort: some file systems refuse `fsync`
    /// on directories, and the data itself is already safe at this point.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    static func systemError(_ path: String, _ operation: String) -> AtomicFileError {
        AtomicFileError(path: path, operation: operation, message: String(cString: strerror(errno)))
    }

    /// Appends bytes to the temporary file of one `AtomicFile.write(to:_:)` call; valid only inside the
    /// closure it is handed to.
    public struct Writer {
        fileprivate let descriptor: Int32
        /// The target path, for error messages.
        public let path: String

        /// Appends `bytes`, retrying short writes and interruptions.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var address = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = posixWrite(descriptor, address, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFile.systemError(path, "write")
                }
                remaining -= written
                address += written
            }
        }

        /// Appends the bytes of `data`.
        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }
    }
}

/// The C `write`, under a name the `Writer.write` methods do not shadow.
private func posixWrite(_ descriptor: Int32, _ address: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, address, count)
}
