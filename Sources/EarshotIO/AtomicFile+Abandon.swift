import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files of this process's writes under way, so that a program ending early (on SIGINT or
/// SIGTERM) can remove them instead of leaving `.<name>.<pid>.<n>.tmp` files behind.
extension AtomicFile {
    /// Removes the temporary file of every write under way in this process and makes later writes fail;
    /// for a program about to end (a handler of SIGINT or SIGTERM on a thread of its own, then ending the
    /// process). Each target stays as it was: its old contents, or no file. A write that has already
    /// renamed its file over the target is complete and keeps it.
    ///
    /// 1. Marks the process as ending: a write that has not created its temporary file yet fails with
    ///    `AtomicFileError` (operation "create temporary file", "the program is ending").
    /// 2. Removes the temporary files of the writes under way; one whose rename then fails throws
    ///    `AtomicFileError` (operation "rename").
    ///
    /// Returns the paths of the temporary files removed, in name order.
    @discardableResult
    public static func abandonWritesInProgress() -> [String] {
        InProgressWrites.shared.abandon()
    }
}

/// The temporary files being written, under a lock that also covers their creation, so that a file is
/// either created before `abandon` (and removed by it) or never.
final class InProgressWrites: @unchecked Sendable {
    static let shared = InProgressWrites()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var abandoned = false

    /// Runs `create` (which makes the file at `temporary` and returns its descriptor, or -1 with `errno`
    /// set) and remembers `temporary`; throws `AtomicFileError` for `target` when that fails or writes are
    /// abandoned.
    func create(_ temporary: String, for target: String, _ create: () -> Int32) throws -> Int32 {
        try lock.withLock {
            guard !abandoned else {
                throw AtomicFileError(
                    path: target, operation: "create temporary file", message: "the program is ending")
            }
            let descriptor = create()
            guard descriptor >= 0 else { throw AtomicFile.systemError(target, "create temporary file") }
            paths.insert(temporary)
            return descriptor
        }
    }

    /// The temporary files being written now.
    var pending: Set<String> { lock.withLock { paths } }

    /// Forgets `temporary`: it has been renamed or removed.
    func finish(_ temporary: String) {
        lock.withLock { _ = paths.remove(temporary) }
    }

    func abandon() -> [String] {
        lock.withLock {
            abandoned = true
            let removed = paths.sorted()
            for path in removed { _ = unlink(path) }
            paths.removeAll()
            return removed
        }
    }
}
