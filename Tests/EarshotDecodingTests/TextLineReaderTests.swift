import EarshotDecoding
import EarshotTestSupport
import Foundation
import Testing

/// `TextLineReader` hands out a file's lines, each at most `maximumLineLength` bytes: a longer one only as
/// its length, read past block by block without being held.
@Suite struct TextLineReaderTests {
    /// Every line of the file holding `bytes`, read with `limit`.
    static func lines(_ bytes: [UInt8], limit: Int) throws -> [TextLine] {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("text.txt").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let reader = try TextLineReader(path: path, maximumLineLength: limit)
            var lines: [TextLine] = []
            while let line = try reader.next() { lines.append(line) }
            return lines
        }
    }

    @Test func linesEndAtNewlinesWithOrWithoutCarriageReturns() throws {
        let lines = try Self.lines(Array("one\r\ntwo\n\nlast".utf8), limit: 100)
        #expect(try lines.map { try $0.text() } == ["one", "two", "", "last"])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.offset) == [0, 5, 9, 10])
    }

    /// Lines over the limit, shorter and longer than a read block, are skipped whole; the next lines follow.
    @Test(arguments: [10, 1000, 200_000])
    func aLineOverTheLimitIsReportedWithItsLength(length: Int) throws {
        let limit = 8
        let bytes =
            Array("first\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: length) + Array("\nnext\n".utf8)
        let lines = try Self.lines(bytes, limit: limit)
        #expect(lines.count == 3)
        #expect(lines[1].content == .tooLong(byteCount: length, limit: limit))
        #expect(lines[1].number == 2)
        #expect(try lines[2].text() == "next")
        #expect(lines[2].offset == 6 + length + 1)
        let error = try #require(throws: TextFileError.self) { try lines[1].text() }
        #expect(error.line == 2)
        #expect(error.cause == "the line is longer than the limit of 8 bytes: \(length) bytes")
    }

    @Test func aLineOfExactlyTheLimitIsKept() throws {
        let lines = try Self.lines(Array("12345678\n123456789".utf8), limit: 8)
        #expect(try lines[0].text() == "12345678")
        #expect(lines[1].content == .tooLong(byteCount: 9, limit: 8))
    }

    @Test func bytesThatAreNotUTF8AreNamedByTheirOffset() throws {
        let lines = try Self.lines(Array("fine\nca".utf8) + [0xE9] + Array("fe\n".utf8), limit: 100)
        let error = try #require(throws: TextFileError.self) { try lines[1].text() }
        #expect(error.description == "\(lines[1].name):2: not UTF-8 text (an invalid byte at offset 7 of the file)")
    }

    @Test func missingFilesAndFoldersAreNamed() throws {
        try withTemporaryDirectory { directory in
            let missing = try #require(throws: TextFileError.self) {
                try TextLineReader(path: directory.path + "/none.txt")
            }
            #expect(missing.description == directory.path + "/none.txt: no such file")
            let folder = try #require(throws: TextFileError.self) { try TextLineReader(path: directory.path) }
            #expect(folder.reason == .isDirectory)
        }
    }
}
