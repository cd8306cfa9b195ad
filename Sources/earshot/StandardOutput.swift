import Foundation

/// Results on standard output, written so that a failure is never silent.
///
/// Every write goes straight to the descriptor, retried after interruptions and short writes; nothing is
/// buffered, so nothing is left to fail unnoticed at exit. SIGPIPE is ignored (`EarshotCommand.main`), so a
/// write to a reader that has gone returns EPIPE instead of killing the program. A failed write ends it:
///
/// - the reader has gone (EPIPE: `earshot … | head -c1`): quietly, with the status the caller gives, 141 by
///   default — what the shell reports for a tool that SIGPIPE ends (`stream` gives 0);
/// - anything else (a full disk: `> /dev/full`): `earshot: cannot write to standard output: <reason>` on
///   standard error, and status 74 (EX_IOERR).
enum StandardOutput {
    /// The exit status after a write to a closed pipe: 128 + SIGPIPE.
    static let closedPipeStatus: Int32 = 141
    /// The exit status after any other failed write: EX_IOERR of sysexits.h.
    static let failedWriteStatus: Int32 = 74

    /// Writes `text` as it is.
    static func write(_ text: String, closedPipeStatus: Int32 = closedPipeStatus) {
        write(Data(text.utf8), closedPipeStatus: closedPipeStatus)
    }

    /// Writes `text` and a line break.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `data`: all of it, or the program ends as the type's documentation says.
    static func write(_ data: Data, closedPipeStatus: Int32 = closedPipeStatus) {
        data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let count = Glibc.write(1, bytes.baseAddress! + done, bytes.count - done)
                if count > 0 {
                    done += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    fail(count < 0 ? errno : EIO, closedPipeStatus: closedPipeStatus)
                }
            }
        }
    }

    /// Arranges for text that went through C's buffered `stdout` (the argument parser's help and version) to
    /// be flushed at exit with the same care: a failure there ends the program as a failed `write` does.
    static func checkBufferedOutputAtExit() {
        atexit {
            if fflush(nil) != 0 { StandardOutput.fail(errno, closedPipeStatus: StandardOutput.closedPipeStatus) }
        }
    }

    /// Ends the program after a failed write with the system's `code`: quietly for a closed pipe, else with
    /// one line on standard error. `_exit`, not `exit`: nothing buffered is left to flush, and exit handlers
    /// must not run twice.
    private static func fail(_ code: Int32, closedPipeStatus: Int32) -> Never {
        if code == EPIPE { _exit(closedPipeStatus) }
        Terminal.error("earshot: cannot write to standard output: \(String(cString: strerror(code)))")
        _exit(failedWriteStatus)
    }
}
