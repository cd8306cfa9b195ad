import EarshotNN
import EarshotTestSupport
import Foundation
import Testing

/// The header length of a safetensors file is refused above `SafeTensors.maxHeaderLength` before anything
/// is allocated for it, with a message naming the file, the length and the limit.
@Suite struct SafeTensorsHeaderLimitTests {
    /// A file of 8 + `length` bytes whose prefix declares a header of `length` bytes (sparse: no disk used).
    static func file(declaringHeaderOf length: Int, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("model.safetensors").path
        let prefix = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(length) >> (8 * UInt64($0))) })
        #expect(FileManager.default.createFile(atPath: path, contents: prefix))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 8 + UInt64(length))
        try handle.close()
        return path
    }

    @Test func aHeaderOverTheLimitIsRefusedNamingTheFileAndTheLimit() throws {
        try withTemporaryDirectory { directory in
            let path = try Self.file(declaringHeaderOf: SafeTensors.maxHeaderLength + 1, in: directory)
            let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(path: path) }
            #expect(error.kind == .headerTooLarge)
            #expect(
                error.description
                    == "\(path): header length 100000001 bytes exceeds the limit of 100000000 bytes (100 MB)")
        }
    }

    /// At the limit the header is read (and here found not to be JSON: it is all zero bytes).
    @Test func aHeaderAtTheLimitIsRead() throws {
        try withTemporaryDirectory { directory in
            let path = try Self.file(declaringHeaderOf: SafeTensors.maxHeaderLength, in: directory)
            let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(path: path) }
            #expect(error.kind == .invalidHeader)
        }
    }
}
