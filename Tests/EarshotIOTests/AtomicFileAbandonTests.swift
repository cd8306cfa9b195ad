import EarshotTestSupport
import Foundation
import Testing

@testable import EarshotIO

/// `AtomicFile.abandonWritesInProgress()`, what a program ending on a signal calls: the temporary files of
/// writes under way are removed, their targets stay as they were, and no later write creates one. Tested on
/// a registry of its own (`InProgressWrites`), as abandoning the shared one would stop this process's writes.
@Suite struct AtomicFileAbandonTests {
    @Test func theFilesOfWritesUnderWayAreRemovedAndLaterWritesRefused() throws {
        try withTemporaryDirectory { directory in
            let writes = InProgressWrites()
            let target = directory.appendingPathComponent("model.safetensors").path
            let temporary = directory.appendingPathComponent(".model.safetensors.1.2.tmp").path
            let descriptor = try writes.create(temporary, for: target) {
                open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            }
            #expect(descriptor >= 0)
            close(descriptor)
            let finished = directory.appendingPathComponent(".model.safetensors.1.3.tmp").path
            close(try writes.create(finished, for: target) { open(finished, O_WRONLY | O_CREAT | O_EXCL, 0o644) })
            _ = rename(finished, target)
            writes.finish(finished)  // renamed over the target: complete, not to be touched

            #expect(writes.abandon() == [temporary])
            #expect(!FileManager.default.fileExists(atPath: temporary))
            #expect(FileManager.default.fileExists(atPath: target))
            let later = directory.appendingPathComponent(".model.safetensors.1.4.tmp").path
            #expect(
                throws: AtomicFileError(
                    path: target, operation: "create temporary file", message: "the program is ending")
            ) {
                _ = try writes.create(later, for: target) { open(later, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
            }
            #expect(!FileManager.default.fileExists(atPath: later))
        }
    }

    /// A temporary file that cannot be created is the system's error for the target, and is not remembered.
    @Test func aFailedCreationIsTheSystemsError() throws {
        let writes = InProgressWrites()
        #expect(
            throws: AtomicFileError(
                path: "/nonexistent/m", operation: "create temporary file", message: "No such file or directory")
        ) {
            _ = try writes.create("/nonexistent/.m.1.2.tmp", for: "/nonexistent/m") {
                open("/nonexistent/.m.1.2.tmp", O_WRONLY | O_CREAT | O_EXCL, 0o644)
            }
        }
        #expect(writes.abandon().isEmpty)
    }

    /// Through the public API: a write that has finished leaves nothing for `abandon` to remove.
    @Test func aFinishedWriteIsForgotten() throws {
        try withTemporaryDirectory { directory in
            let target = directory.appendingPathComponent("out.txt").path
            try AtomicFile.write(Data("done\n".utf8), to: target)
            #expect(InProgressWrites.shared.pending.allSatisfy { !$0.hasPrefix(directory.path) })
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "done\n")
        }
    }
}
