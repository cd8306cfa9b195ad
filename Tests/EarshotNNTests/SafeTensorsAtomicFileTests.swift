import EarshotIO
import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// `AtomicFile`, which SafeTensors.write (and checkpoints, models) use: the target is either the old
/// file or the new one, never partial, and a failed write leaves no temporary file behind.
final class SafeTensorsAtomicFileTests: XCTestCase {
    struct Interrupted: Error, Equatable {}

    func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWritesAndReplaces() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("model.bin").path
        try AtomicFile.write(Data("first".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("first".utf8))
        try AtomicFile.write(Data("second, longer".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("second, longer".utf8))
        try AtomicFile.write(Data(), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data())
        XCTAssertEqual(try contents(of: directory), ["model.bin"])
    }

    /// A failure in the middle of writing (here: the body throws after writing half) rethrows the body's
    /// error unchanged, keeps the old file byte for byte, and removes the temporary file.
    func testFailedWriteKeepsOldFileAndLeavesNoTemporary() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("checkpoint.safetensors").path
        let old = Data((0..<1000).map { UInt8($0 % 251) })
        try AtomicFile.write(old, to: path)
        XCTAssertThrowsError(
            try AtomicFile.write(to: path) { writer in
                try writer.write(Data(repeating: 0xAB, count: 4096))
                throw Interrupted()
            }
        ) { error in
            XCTAssertEqual(error as? Interrupted, Interrupted())
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), old)
        XCTAssertEqual(try contents(of: directory), ["checkpoint.safetensors"])
    }

    /// When the final rename fails (the target is a non-empty directory), the error says so, the
    /// directory is untouched and the temporary file is removed.
    func testFailedRenameLeavesNoTemporary() throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        XCTAssertThrowsError(try AtomicFile.write(Data("new".utf8), to: target.path)) { error in
            let error = error as? AtomicFileError
            XCTAssertEqual(error?.operation, "rename")
            XCTAssertTrue(
                error?.description.hasPrefix(target.path + ": rename failed: ") ?? false, "\(String(describing: error))"
            )
        }
        XCTAssertEqual(try contents(of: directory), ["occupied"])
        XCTAssertEqual(try contents(of: target), ["inside"])
    }

    func testMissingDirectory() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("no/such/dir/file").path
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: path)) { error in
            XCTAssertEqual((error as? AtomicFileError)?.operation, "create temporary file")
        }
    }

    /// A safetensors write that fails half-way (the target is a directory) keeps the directory listing
    /// clean too: no stray `.tmp` next to a model.
    func testSafeTensorsWriteFailureLeavesNoTemporary() throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data().write(to: target.appendingPathComponent("x"))
        XCTAssertThrowsError(try SafeTensors.write(["w": Tensor(shape: [2], values: [1, 2])], to: target.path)) {
            error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .io)
        }
        XCTAssertEqual(try contents(of: directory), ["model.safetensors"])
    }

    /// While one thread keeps replacing a file with either of two contents of different sizes, a reader
    /// only ever sees one of them whole.
    func testReadersNeverSeeAPartialFile() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("shared.bin").path
        let a = Data(repeating: 1, count: 100_000), b = Data(repeating: 2, count: 30_000)
        try AtomicFile.write(a, to: path)
        nonisolated(unsafe) var partial = 0
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                for i in 0..<100 { try? AtomicFile.write(i.isMultiple(of: 2) ? b : a, to: path) }
            } else {
                for _ in 0..<300 {
                    let read = FileManager.default.contents(atPath: path)
                    if read != a && read != b { partial += 1 }
                }
            }
        }
        XCTAssertEqual(partial, 0)
    }
}
