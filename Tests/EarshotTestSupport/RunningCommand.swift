import Foundation

/// A built executable of this package started in the background, for tests that act on it while it runs
/// (send it a signal, kill it at a chosen moment): its standard output and error are collected as they come.
public final class RunningCommand: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    private let drained = DispatchGroup()

    /// Starts `product` with `arguments`, standard input from `stdin` (nil: /dev/null), in `currentDirectory`.
    public init(
        _ product: String, _ arguments: [String], stdin: FileHandle? = nil, currentDirectory: URL? = nil
    ) throws {
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        for (pipe, isError) in [(out, false), (err, true)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: drained) { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.withLock {
                        if isError { errData += chunk } else { outData += chunk }
                    }
                }
            }
        }
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// What it has written to standard output and error so far.
    public var stdoutText: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
    public var stderrText: String { lock.withLock { String(decoding: errData, as: UTF8.self) } }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits up to `timeout` seconds for `condition` (checked every `interval` seconds; 0: as often as it can)
    /// to hold; false if it never did or the process ended first (the condition is checked once more then).
    public func wait(upTo timeout: TimeInterval, every interval: TimeInterval = 0.01, until condition: () -> Bool)
        -> Bool
    {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            if interval > 0 { usleep(UInt32(interval * 1_000_000)) }
        }
        return condition()
    }

    /// How the process ended, waiting up to `timeout` seconds (then killing it: `timedOut`).
    public func finish(timeout: TimeInterval) -> CommandResult {
        let ended = wait(upTo: timeout) { !process.isRunning }
        if !ended { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        drained.wait()
        return lock.withLock {
            CommandResult(
                status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
                timedOut: !ended, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
        }
    }
}
