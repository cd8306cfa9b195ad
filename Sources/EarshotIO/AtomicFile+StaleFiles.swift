import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files an `AtomicFile.write` leaves when its process is killed mid-write (`kill -9`, a
/// power cut): `.<name>.<pid>.<n>.tmp` beside the target, which nothing else removes.
extension AtomicFile {
    /// A temporary file of an interrupted write, found beside its target.
    public struct StaleFile: Sendable, Equatable {
        /// Its path.
        public var path: String
        /// The process that was writing it, which is no longer running.
        public var processID: Int32
        /// Why it could not be removed (the system's words), or nil when it was.
        public var removalError: String?
    }

    /// Removes the temporary files of writes to `path` whose writing process is no longer running.
    /// 1. Lists the names in the folder of `path` of the form `.<name of path>.<pid>.<n>.tmp`.
    /// 2. Keeps those whose pid is not a running process (another live writer's file is never touched,
    ///    this process's own included).
    /// 3. Removes each, noting the system's reason when it cannot.
    /// Returns them, in name order; an unreadable folder has none.
    public static func removeStaleFiles(for path: String) -> [StaleFile] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let prefix = "." + url.lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var stale: [StaleFile] = []
        for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count).split(
                separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, UInt32(middle[1]) != nil,
                !isRunning(pid)
            else { continue }
            let file = folder.appendingPathComponent(name).path
            let removalError = unlink(file) == 0 || errno == ENOENT ? nil : String(cString: strerror(errno))
            stale.append(StaleFile(path: file, processID: pid, removalError: removalError))
        }
        return stale
    }

    /// Whether a process with id `pid` exists (signal 0 checks without sending; EPERM: it exists, another
    /// user's).
    static func isRunning(_ pid: Int32) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }
}
