import Foundation

/// A small tmpfs mounted for one test: a file system that is full, or read-only, on demand. Mounting needs
/// root with CAP_SYS_ADMIN (`isPermitted`); tests that need it are enabled only then.
public enum TemporaryMount {
    /// Whether this process can mount (and unmount) a tmpfs.
    public static let isPermitted: Bool = {
        (try? withTmpfs(bytes: 65_536) { _ in true }) ?? false
    }()

    /// Runs `body` with a fresh tmpfs of `bytes` (rounded up to whole pages) mounted on an empty folder,
    /// read-only when `readOnly`; unmounts it and removes the folder afterwards.
    public static func withTmpfs<T>(bytes: Int, readOnly: Bool = false, _ body: (URL) throws -> T) throws -> T {
        try withTemporaryDirectory { directory in
            let options = "size=\(bytes)" + (readOnly ? ",ro" : "")
            try run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", directory.path])
            defer { try? run("/bin/umount", [directory.path]) }
            return try body(directory)
        }
    }

    /// Makes the tmpfs mounted on `directory` (by `withTmpfs`) read-only, keeping what it holds.
    public static func remountReadOnly(_ directory: URL) throws {
        try run("/bin/mount", ["-o", "remount,ro", directory.path])
    }

    /// Fills the file system holding `directory` with a file of zeros until no byte more fits.
    public static func fill(_ directory: URL) {
        let descriptor = open(directory.appendingPathComponent("filler").path, O_WRONLY | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, 1) }) > 0 {}
    }

    private struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(tool) \(arguments.joined(separator: " ")) failed")
        }
    }
}
