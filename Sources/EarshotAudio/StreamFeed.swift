import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipe that gives bytes already read from a stream (its head) and then the rest of the stream, for a
/// reader that has to see the stream from its start (libsndfile parsing a WAV header that `WAVStreamHead`
/// has read first).
///
/// A thread writes the head, then copies the source to the pipe until the source ends (closing the pipe then),
/// the pipe's reader has gone, or the feed is released. SIGPIPE is blocked on that thread, so a reader that
/// goes first only ends the copy. Releasing the feed closes the read end and waits for the thread to stop, so
/// the source (which the feed never closes) is not read after: its owner may close it, and its descriptor
/// number be reused, at once.
final class StreamFeed {
    /// The end to read from.
    let readEnd: Int32
    /// Written to when the feed is released: the copying thread stops. Both ends stay open until then (a write
    /// to a pipe whose reader is gone would raise SIGPIPE on the releasing thread, ending a program that, unlike
    /// the `earshot` command, does not ignore it).
    private let stopWrite: Int32
    private let stopRead: Int32
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts feeding `head`, then everything that arrives on `source`.
    init(head: [UInt8], source: Int32, name: String) throws(AudioError) {
        var data: [Int32] = [0, 0]
        var stop: [Int32] = [0, 0]
        guard pipe(&data) == 0 else { throw Self.failure(name) }
        guard pipe(&stop) == 0 else {
            _ = close(data[0])
            _ = close(data[1])
            throw Self.failure(name)
        }
        for fd in data + stop { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        readEnd = data[0]
        stopWrite = stop[1]
        stopRead = stop[0]
        let (writeEnd, stopRead, stopped) = (data[1], stop[0], stopped)
        Thread.detachNewThread {
            StreamFeed.copy(head: head, source: source, to: writeEnd, stop: stopRead)
            _ = close(writeEnd)
            stopped.signal()
        }
    }

    /// Closes the read end (a write under way fails), tells the thread to stop, and waits until it has.
    deinit {
        _ = close(readEnd)
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        stopped.wait()
        _ = close(stopWrite)
        _ = close(stopRead)
    }

    private static func failure(_ name: String) -> AudioError {
        AudioError(path: name, reason: .ioError("cannot make a pipe: \(AudioFile.systemMessage(errno))"))
    }

    /// Writes `head`, then what arrives on `source` until it ends, a write fails, or `stop` is readable
    /// (checked before every read of `source`, which is read only when it has data or has ended).
    private static func copy(head: [UInt8], source: Int32, to fd: Int32, stop: Int32) {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)  // a closed reader: EPIPE here, never the signal
        func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
        guard head.withUnsafeBytes(writeAll) else { return }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var waiters = [
            pollfd(fd: source, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if poll(&waiters, 2, -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if waiters[1].revents != 0 { return }
            guard waiters[0].revents != 0 else { continue }
            let got = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
            if got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            guard got > 0 else { return }
            guard buffer.withUnsafeBytes({ writeAll(UnsafeRawBufferPointer(rebasing: $0[..<got])) }) else { return }
        }
    }
}
