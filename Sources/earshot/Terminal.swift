import Foundation

/// Writes to standard error, the channel for messages and progress (stdout carries results).
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Prints one line of results on standard output and flushes it at once, so a program reading JSON
    /// lines through a pipe gets each as it happens (stdout to a pipe or file is otherwise buffered).
    static func output(_ line: String) {
        print(line)
        fflush(nil)  // every output stream; naming `stdout` is not concurrency-safe in Swift 6
    }

    /// Whether standard error is a terminal (progress bars and colours only then).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    /// Whether standard output is a terminal.
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

/// The process exit status for a run in which some inputs failed (each reported already).
struct SomeInputsFailed: Error, CustomStringConvertible {
    var failed: Int
    var total: Int
    var description: String { "\(failed) of \(total) input\(total == 1 ? "" : "s") failed" }
}
