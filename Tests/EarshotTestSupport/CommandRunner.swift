import Foundation

/// Runs a built executable of this package (found beside the test bundle) and captures what it does.
public struct CommandResult {
    public var status: Int32
    /// True when the process ended by a signal (a crash), not by exiting.
    public var crashed: Bool
    /// True when the process outlived the `timeout` it was run with and was killed.
    public var timedOut = false
    public var stdout: Data
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

public enum CommandRunner {
    /// The folder of the build products: the test bundle's own folder (e.g. `.build/debug`).
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Runs `product` with `arguments`, feeding it `stdin` through a pipe when given (else /dev/null),
    /// and waits for it to end; after `timeout` seconds (when given) it is killed (SIGKILL) and the
    /// result says `timedOut`.
    ///
    /// - Parameters:
    ///   - standardOutput: where the program's standard output goes (e.g. `/dev/full`, or a pipe nobody
    ///     reads); nil captures it in `CommandResult.stdout`.
    ///   - standardErrorIsTerminal: standard error is a pseudo-terminal (as in an interactive shell, where
    ///     progress bars appear); its text is still captured in `CommandResult.stderr`.
    public static func run(
        _ product: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
        currentDirectory: URL? = nil, timeout: TimeInterval? = nil, standardOutput: FileHandle? = nil,
        standardErrorIsTerminal: Bool = false
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        let terminal = standardErrorIsTerminal ? try PseudoTerminal() : nil
        process.standardOutput = standardOutput ?? out
        process.standardError = terminal?.child ?? err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        try terminal?.child.close()  // the program has its own copy; the terminal ends when that closes
        nonisolated(unsafe) var timedOut = false
        let killer = DispatchWorkItem {
            guard process.isRunning else { return }
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer) }
        if let stdin {
            let writer = input.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: stdin)
                try? writer.close()
            }
        }
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) {
            errData = terminal?.readToEnd() ?? err.fileHandleForReading.readDataToEndOfFile()
        }
        let outData = standardOutput == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        return CommandResult(
            status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}
