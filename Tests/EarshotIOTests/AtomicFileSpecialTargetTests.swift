import EarshotIO
import EarshotTestSupport
import Foundation
import Testing

/// A target that exists and is not a regular file — a device such as `/dev/null`, a named pipe — is
/// written through, in place: renaming a temporary file over it would replace the device node or the pipe
/// with a regular file (and, run as root with `-o /dev/null`, break every program that writes there).
@Suite struct AtomicFileSpecialTargetTests {
    @Test(.enabled(if: SpecialFiles.canMakeDevices, "making a device node needs root or CAP_MKNOD"))
    func aCharacterDeviceIsWrittenThroughNotReplaced() throws {
        try withTemporaryDirectory { directory in
            let device = directory.appendingPathComponent("mynull").path
            try SpecialFiles.makeNullDevice(at: device)
            try AtomicFile.write(Data("discarded".utf8), to: device)
            #expect(SpecialFiles.isNullDevice(device), "the device was replaced")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["mynull"])
        }
    }

    /// A named pipe gets the bytes, in order, and stays a named pipe. (The reading end is opened first, so the
    /// writer does not wait for a reader; the bytes fit in the pipe, so nobody needs to read while they are
    /// written.)
    @Test func aNamedPipeIsWrittenThroughNotReplaced() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("out.fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            #expect(reader >= 0)
            defer { close(reader) }
            let bytes = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try AtomicFile.write(to: fifo) { writer in
                try writer.write(bytes.prefix(1000))
                try writer.write(bytes.dropFirst(1000))
            }
            #expect(SpecialFiles.readAvailable(reader) == bytes)
            #expect(SpecialFiles.isNamedPipe(fifo), "the named pipe was replaced")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.fifo"])
        }
    }

    /// Regular files are still replaced by rename: a hard link to the old file keeps the old contents.
    @Test func aRegularFileIsStillReplacedByRename() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("model.bin").path
            let hardLink = directory.appendingPathComponent("link.bin").path
            try AtomicFile.write(Data("old".utf8), to: path)
            #expect(link(path, hardLink) == 0)
            try AtomicFile.write(Data("new".utf8), to: path)
            #expect(FileManager.default.contents(atPath: path) == Data("new".utf8))
            #expect(FileManager.default.contents(atPath: hardLink) == Data("old".utf8))
        }
    }
}
