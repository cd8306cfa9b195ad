import Foundation

/// Writes to standard error, the channel for messages and progress (stdout carries results).
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes one line of results on standard output at once (`StandardOutput`: unbuffered, so a program
    /// reading JSON lines through a pipe gets each as it happens; a failed write ends the program).
    static func output(_ line: String) {
        StandardOutput.line(line)
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
