import EarshotIO
import EarshotTestSupport
import Foundation
import Testing

/// `AtomicFile.removeStaleFiles(for:)` removes the temporary files of writes whose process is gone, and
/// nothing else: not a live process's, not files of other names.
@Suite struct AtomicFileStaleFileTests {
    @Test func onlyTheFilesOfDeadWritersAreRemoved() throws {
        try withTemporaryDirectory { directory in
            let target = directory.appendingPathComponent("last.safetensors").path
            let dead = try deadProcessID()
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            let stale = [path(".last.safetensors.\(dead).1.tmp"), path(".last.safetensors.\(dead).4294967295.tmp")]
            let kept = [
                path(".last.safetensors.\(getpid()).2.tmp"),  // this process: a live writer
                path(".last.safetensors.1.3.tmp"),  // init, always running
                path(".best.safetensors.\(dead).1.tmp"),  // another target's
                path(".last.safetensors.\(dead).x.tmp"), path(".last.safetensors.\(dead).tmp"),
                path("last.safetensors.\(dead).1.tmp"), path("last.safetensors"),
            ]
            for file in stale + kept { #expect(FileManager.default.createFile(atPath: file, contents: Data([1]))) }

            let removed = AtomicFile.removeStaleFiles(for: target)
            #expect(removed.map(\.path) == stale)
            #expect(removed.allSatisfy { $0.processID == dead && $0.removalError == nil })
            for file in stale { #expect(!FileManager.default.fileExists(atPath: file), "\(file)") }
            for file in kept { #expect(FileManager.default.fileExists(atPath: file), "\(file) was removed") }
            #expect(AtomicFile.removeStaleFiles(for: target).isEmpty)
        }
    }

    /// A write killed mid-way leaves exactly the name the clean-up looks for.
    @Test func theNameMatchesWhatAnInterruptedWriteLeaves() throws {
        try withTemporaryDirectory { directory in
            let target = directory.appendingPathComponent("model.safetensors").path
            struct Interrupted: Error {}
            var temporary: String?
            #expect(throws: Interrupted.self) {
                try AtomicFile.write(to: target) { _ in
                    temporary = try FileManager.default.contentsOfDirectory(atPath: directory.path).first
                    throw Interrupted()
                }
            }
            let name = try #require(temporary)
            #expect(name.hasPrefix(".model.safetensors.\(getpid())."))
            #expect(name.hasSuffix(".tmp"))
        }
    }
}
