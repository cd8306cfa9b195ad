import EarshotIO
import Foundation

/// What SIGINT (Ctrl-C) and SIGTERM do, in every command: by default the program ends at once, but never
/// leaves a partial file behind; a command that can stop more gracefully sets `onSignal`.
///
/// - Without `onSignal` (transcribe, eval, features, lm build): the temporary files of writes under way are
///   removed (`AtomicFile.abandonWritesInProgress`: each output is complete or absent), and the program ends
///   by the signal itself, as it would without a handler, so the shell reports 130 (SIGINT) or 143 (SIGTERM)
///   and a script running it stops too.
/// - With `onSignal` (train: a checkpoint after the batch under way; stream: the last utterance), the first
///   signal runs it once, on the signal thread, and `exitCode` tells the status to end with (130 or 143); a
///   second signal ends the program at once, as above.
///
/// The signals are caught by a C handler that only writes the signal's number to a pipe (the self-pipe
/// trick: `write` is async-signal-safe), and a thread of its own reads the pipe and acts. A dispatch signal
/// source is not used: on Linux it loses a signal that the kernel hands to a thread which does not block it
/// (the main thread, OpenBLAS's threads), which happened to a `train` signalled in its first 50 ms.
final class SignalStop: @unchecked Sendable {
    /// The handler installed in `EarshotCommand.main`, before any command runs.
    static let shared = SignalStop()

    private let lock = NSLock()
    private var handler: (@Sendable () -> Void)?
    private var received = false
    private var code: Int32 = 130

    private init() {}

    /// Starts catching SIGINT and SIGTERM (instead of their default action; one that was ignored when the
    /// program started stays ignored), unblocks them, and starts the thread that acts on them. Exits with status 1 when the pipe cannot be made (no descriptors left).
    func install() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            Terminal.error("earshot: cannot make a pipe for signal handling: \(String(cString: strerror(errno)))")
            exit(1)
        }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            let saved = errno
            var byte = UInt8(truncatingIfNeeded: sig)
            _ = write(signalPipeWriteEnd, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART  // reads and writes under way go on; the command ends in its own time
        sigemptyset(&action.sa_mask)
        var caught = sigset_t()
        sigemptyset(&caught)
        for sig in [SIGINT, SIGTERM] {
            var previous = sigaction()
            sigaction(sig, nil, &previous)
            // Ignored when the program started (a background job of a script ignores SIGINT): it stays so.
            if let current = previous.__sigaction_handler.sa_handler,
                unsafeBitCast(current, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            {
                continue
            }
            sigaction(sig, &action, nil)
            sigaddset(&caught, sig)
        }
        // A parent may have left them blocked (Foundation's Process started from a dispatch thread does); then
        // they would never arrive. This thread, and the threads started from now on, take them.
        pthread_sigmask(SIG_UNBLOCK, &caught, nil)
        Thread.detachNewThread { [unowned self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    self.handle(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// What the first signal does instead of ending the program; nil: end it.
    var onSignal: (@Sendable () -> Void)? {
        get { lock.withLock { handler } }
        set { lock.withLock { handler = newValue } }
    }

    /// The status to exit with after `onSignal` has stopped the command: 128 + the signal (130, 143).
    var exitCode: Int32 { lock.withLock { code } }

    private func handle(_ sig: Int32) {
        let (first, body): (Bool, (@Sendable () -> Void)?) = lock.withLock {
            defer { received = true }
            if !received { code = 128 + sig }
            return (!received, handler)
        }
        guard first, let body else {
            if !first { Terminal.error("\nearshot: second signal: stopping at once") }
            Self.end(by: sig)
        }
        body()
    }

    /// Removes the temporary files of writes under way, then ends the process by `sig` with its default
    /// action (unblocked on this thread, in case it was blocked); should that not end it, exits with
    /// 128 + `sig`.
    static func end(by sig: Int32) -> Never {
        AtomicFile.abandonWritesInProgress()
        signal(sig, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(sig)
        _exit(128 + sig)
    }
}

/// The write end of `SignalStop`'s pipe, for the C signal handler (which can capture nothing).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
