import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replacing a file so that readers (and a crash or power loss) see either the old contents or the new,
/// never a mixture or a truncated file. Models, checkpoints, features, language models, audio and
/// transcripts are written this way.
///
/// The recipe: write to a fresh temporary name in the *same directory* (so the final `rename` stays on
/// one file system, where POSIX makes it atomic), `fsync` the data, `rename` over the target, then
/// `fsync` the directory so the rename itself is durable. On any failure the temporary file is removed
/// and the target is left as it was.
///
/// A target that exists and is neither a regular file nor a folder — a device such as `/dev/null`, a named
/// pipe — is written through instead, in place: renaming over it would replace the device node or the pipe
/// with a regular file (as root, `-o /dev/null` would break every program that writes there). Such a
/// write is not atomic, and a named pipe's open waits for a reader, as the shell's `> fifo` does.
///
/// The new file gets mode 0644 minus the umask, like `Data.write(to:options: .atomic)`; the old file's
/// permissions and any hard links to it are not carried over.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`; see `write(to:_:)`.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { writer in try writer.write(data) }
    }

    /// Replaces (or creates) the file at `path` with whatever `body` writes, so large files can be
    /// streamed out piece by piece without first being assembled in memory. If `body` throws, the
    /// error is rethrown unchanged and the old file stays intact.
    ///
    /// 1. A target that is neither a regular file nor a folder (a device, a named pipe) is written through.
    /// 2. Anything else (a regular file, nothing yet, a folder, which the rename then refuses) is replaced.
    ///
    /// Throws `AtomicFileError` naming `path`, the step that failed and the system's reason.
    public static func write(to path: String, _ body: (Writer) throws -> Void) throws {
        if isSpecialFile(path) {
            try writeThrough(path, body)
        } else {
            try replace(path, body)
        }
    }

    /// True when something exists at `path` (after symbolic links) that is neither a regular file nor a
    /// folder: a character or block device, a named pipe, a socket.
    static func isSpecialFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// Opens the existing `path` for writing (no creation, no truncation: a device or pipe has neither),
    /// hands it to `body`, and closes it. No `fsync`: devices and pipes have nothing to flush to disk.
    private static func writeThrough(_ path: String, _ body: (Writer) throws -> Void) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(path, "open") }
        do {
            try body(Writer(descriptor: descriptor, path: path))
        } catch {
            _ = close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw systemError(path, "close") }
    }

    /// Writes `body`'s bytes to a temporary file beside `path`, `fsync`s it, renames it over `path` and
    /// `fsync`s the folder; on a failure removes the temporary file and leaves `path` as it was. The temporary
    /// file is known to `abandonWritesInProgress` from its creation until it is renamed or removed.
    private static func replace(_ path: String, _ body: (Writer) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
            .path
        let descriptor = try InProgressWrites.shared.create(temporary, for: path) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        defer { InProgressWrites.shared.finish(temporary) }
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

    /// Appends bytes to the file of one `AtomicFile.write(to:_:)` call (the temporary file, or the device or
    /// pipe written through); valid only inside the closure it is handed to.
    public struct Writer {
        /// The open descriptor, for code that writes through a descriptor itself (libsndfile's
        /// `sf_open_fd`); valid only inside the closure, and never to be closed there.
        public let descriptor: Int32
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
