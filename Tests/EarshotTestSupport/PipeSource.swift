import Foundation

/// Bytes handed to a program through a path that names a pipe, not a regular file, as a shell hands them
/// over: a named pipe (`mkfifo f; cat clip.wav > f &`) or process substitution (`<(cat clip.wav)`).
///
/// A thread writes the bytes and then closes its end, so the reader sees the end of the data; SIGPIPE is
/// ignored in this process, so a reader that stops early cannot kill the test. Call `finish()` when the
/// reader is done: it unblocks a writer still waiting and waits for it to end.
public final class PipeSource: @unchecked Sendable {
    /// The path to give the program.
    public let path: String
    /// For process substitution: the read end this process keeps open, which `path` names.
    private let readEnd: Int32?
    private let done = DispatchSemaphore(value: 0)

    /// A named pipe created at `path`; the writer opens it (waiting for a reader, as `cat > f` does),
    /// writes `bytes` and closes it at once.
    public static func namedPipe(at path: String, bytes: Data) throws -> PipeSource {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let source = PipeSource(path: path, readEnd: nil)
        source.startWriter(bytes) { open(path, O_WRONLY | O_CLOEXEC) }
        return source
    }

    /// An anonymous pipe whose read end stays open in this process, named `/proc/<pid>/fd/<n>` so another
    /// process can open it (bash names it `/dev/fd/<n>` for its own child); the writer writes `bytes` and
    /// closes the write end.
    public static func processSubstitution(bytes: Data) throws -> PipeSource {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let source = PipeSource(path: "/proc/\(getpid())/fd/\(ends[0])", readEnd: ends[0])
        let writeEnd = ends[1]
        source.startWriter(bytes) { writeEnd }
        return source
    }

    private init(path: String, readEnd: Int32?) {
        signal(SIGPIPE, SIG_IGN)
        self.path = path
        self.readEnd = readEnd
    }

    /// Runs the writer thread: `openWriteEnd()`, all of `bytes`, close.
    private func startWriter(_ bytes: Data, openWriteEnd: @escaping @Sendable () -> Int32) {
        let done = self.done
        Thread.detachNewThread {
            defer { done.signal() }
            let descriptor = openWriteEnd()
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes {
                    write(descriptor, $0.baseAddress! + offset, bytes.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }  // the reader went away
                offset += written
            }
        }
    }

    /// Lets go whoever still waits — the writer for a reader, a reader opening the named pipe again for a
    /// writer — by opening and closing the other side until the writer has ended, and closes this process's
    /// read end.
    public func finish() {
        if let readEnd { close(readEnd) }  // a closed pipe fails the writer's next write
        repeat {
            guard readEnd == nil else { continue }
            for side in [O_RDONLY, O_WRONLY] {
                let descriptor = open(path, side | O_NONBLOCK | O_CLOEXEC)
                if descriptor >= 0 { close(descriptor) }
            }
        } while done.wait(timeout: .now() + 0.05) == .timedOut
    }
}
