import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// Every way a safetensors file can be broken gives a `SafeTensorsError` of the right kind, naming the
/// file and (when one is at fault) the tensor — never a crash. Files are built by hand here, independent
/// of the writer under test.
final class SafeTensorsCorruptionTests: XCTestCase {
    /// A file: `declaredLength` (default: the header's) in 8 little-endian bytes, the header, the data.
    func file(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
        var bytes = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: data)
        return bytes
    }

    /// `{"name": {"dtype": …, "shape": …, "data_offsets": …}}` for each entry.
    func header(_ entries: [(name: String, dtype: String, shape: String, offsets: String)], extra: String = "")
        -> String
    {
        let body = entries.map {
            #""\#($0.name)":{"dtype":"\#($0.dtype)","shape":\#($0.shape),"data_offsets":\#($0.offsets)}"#
        }
        return "{" + (body + (extra.isEmpty ? [] : [extra])).joined(separator: ",") + "}"
    }

    func assertFails(
        _ data: Data, _ kind: SafeTensorsError.Kind, tensor: String? = nil, mentioning words: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let result = try SafeTensors.decode(data, name: "broken.safetensors")
            XCTFail("decoded \(result.tensors.count) tensors, expected a \(kind) error", file: file, line: line)
        } catch let error as SafeTensorsError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            XCTAssertEqual(error.path, "broken.safetensors", file: file, line: line)
            XCTAssertEqual(error.tensor, tensor, "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("broken.safetensors: "), "\(error)", file: file, line: line)
            if let tensor {
                XCTAssertTrue(error.description.contains("'\(tensor)'"), "\(error)", file: file, line: line)
            }
            for word in words {
                XCTAssertTrue(error.description.contains(word), "'\(word)' not in: \(error)", file: file, line: line)
            }
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: line)
        }
    }

    let eightBytes = [UInt8](repeating: 0, count: 8)

    // MARK: Length prefix

    func testTooShort() {
        assertFails(Data(), .tooShort, mentioning: ["0 bytes"])
        assertFails(Data([1, 0, 0]), .tooShort)
    }

    func testHeaderLengthBeyondFile() {
        let valid = file(header([("a", "F32", "[2]", "[0,8]")]), data: eightBytes)
        assertFails(valid.prefix(20), .headerBeyondFile, mentioning: ["truncated"])
        assertFails(file("{}", declaredLength: UInt64.max), .headerBeyondFile, mentioning: ["\(UInt64.max)"])
        assertFails(file("{}", declaredLength: 3), .headerBeyondFile)
        assertFails(file("{}", declaredLength: 1), .invalidHeader)  // a header of just "{"
    }

    /// A header over 100 MB is refused before it is allocated. The file is sparse, so this costs no disk.
    func testHeaderTooLarge() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("huge.safetensors").path
        let length = UInt64(SafeTensors.maxHeaderLength + 1)
        FileManager.default.createFile(atPath: path, contents: file("", declaredLength: length))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 8 + length)
        try handle.close()
        XCTAssertThrowsError(try SafeTensors.read(path: path)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .headerTooLarge)
        }
    }

    // MARK: Header text

    func testInvalidUTF8() {
        var data = file("{\"a\":{}}")
        data[10] = 0xFF
        assertFails(data, .invalidHeader, mentioning: ["UTF-8"])
    }

    func testBadJSON() {
        assertFails(file(#"{"a": {"dtype": "F32","#), .invalidHeader, mentioning: ["not valid JSON", "header byte"])
        assertFails(file(#"{"a" 1}"#), .invalidHeader, mentioning: ["expected ':'"])
        assertFails(file(#"{"a":01}"#), .invalidHeader)
        assertFails(file(#"{"a":"\x"}"#), .invalidHeader, mentioning: ["invalid escape"])
        assertFails(file("{\"a\":\"\u{01}\"}"), .invalidHeader, mentioning: ["control character"])
        assertFails(file(#"{"a":"\ud800"}"#), .invalidHeader, mentioning: ["surrogate"])
        assertFails(file("{} x"), .invalidHeader, mentioning: ["after the JSON value"])
        assertFails(file("[1, 2]"), .invalidHeader, mentioning: ["expected a JSON object"])
        assertFails(file(""), .invalidHeader)
    }

    /// Deep nesting is refused, not followed until the stack overflows.
    func testDeepNesting() {
        let deep = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        assertFails(file(deep), .invalidHeader, mentioning: ["nested deeper"])
    }

    func testMalformedEntries() {
        assertFails(file(#"{"w":[1]}"#), .invalidHeader, tensor: "w", mentioning: ["expected an object"])
        assertFails(
            file(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), .invalidHeader, tensor: "w",
            mentioning: ["dtype"])
        assertFails(
            file(header([("w", "F32", "2", "[0,8]")]), data: eightBytes), .invalidHeader, tensor: "w",
            mentioning: ["shape"])
        assertFails(
            file(header([("w", "F32", "[-2]", "[0,8]")]), data: eightBytes), .invalidHeader, tensor: "w",
            mentioning: ["shape"])
        assertFails(file(header([("w", "F32", "[2.0]", "[0,8]")]), data: eightBytes), .invalidHeader, tensor: "w")
        assertFails(
            file(header([("w", "F32", "[2]", "[0,8,8]")]), data: eightBytes), .invalidHeader, tensor: "w",
            mentioning: ["data_offsets"])
        assertFails(file(header([("w", "F32", "[2]", "[0,1e3]")]), data: eightBytes), .invalidHeader, tensor: "w")
        assertFails(
            file(#"{"w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
            .invalidHeader,
            tensor: "w", mentioning: ["more than once"])
    }

    func testMalformedMetadata() {
        assertFails(file(#"{"__metadata__":{"k":1}}"#), .invalidHeader, mentioning: ["'k'", "expected a string"])
        assertFails(file(#"{"__metadata__":["k"]}"#), .invalidHeader)
        assertFails(file(#"{"__metadata__":{"k":"a","k":"b"}}"#), .duplicateName, mentioning: ["'k'"])
    }

    // MARK: Names, dtypes, sizes

    func testDuplicateNames() {
        let entry = ("a", "F32", "[1]", "[0,4]")
        assertFails(file(header([entry, entry]), data: [0, 0, 0, 0]), .duplicateName, tensor: "a")
    }

    func testUnknownAndUnsupportedDTypes() {
        assertFails(
            file(header([("w", "F33", "[2]", "[0,8]")]), data: eightBytes), .unknownDType, tensor: "w",
            mentioning: ["F33"])
        assertFails(
            file(header([("w", "I64", "[1]", "[0,8]")]), data: eightBytes), .unsupportedDType, tensor: "w",
            mentioning: ["I64"])
        // Case matters.
        assertFails(file(header([("w", "f32", "[2]", "[0,8]")]), data: eightBytes), .unknownDType, tensor: "w")
    }

    func testShapeTimesDTypeSizeMismatch() {
        assertFails(
            file(header([("w", "F32", "[3]", "[0,8]")]), data: eightBytes), .sizeMismatch, tensor: "w",
            mentioning: ["12 bytes", "hold 8"])
        assertFails(file(header([("w", "F16", "[2]", "[0,8]")]), data: eightBytes), .sizeMismatch, tensor: "w")
        assertFails(
            file(header([("w", "F32", "[4294967296,4294967296,4]", "[0,8]")]), data: eightBytes), .sizeMismatch,
            tensor: "w",
            mentioning: ["too many elements"])
    }

    // MARK: Offsets and coverage of the data section

    func testOffsetsOutOfRange() {
        assertFails(
            file(header([("w", "F32", "[0]", "[8,4]")]), data: eightBytes), .offsetsOutOfRange, tensor: "w",
            mentioning: ["end before"])
        assertFails(
            file(header([("w", "F32", "[4]", "[0,16]")]), data: eightBytes), .offsetsOutOfRange, tensor: "w",
            mentioning: ["8 bytes"])
        assertFails(
            file(header([("w", "F32", "[1]", "[0,18446744073709551615]")]), data: eightBytes), .invalidHeader,
            tensor: "w")
    }

    /// A file cut anywhere inside its data names the first tensor that no longer fits.
    func testTruncatedData() throws {
        let whole = try SafeTensors.encode([
            "a": Tensor(shape: [2], values: [1, 2]), "b": Tensor(shape: [3], values: [3, 4, 5]),
        ])
        assertFails(whole.dropLast(4), .offsetsOutOfRange, tensor: "b", mentioning: ["truncated"])
    }

    func testOverlap() {
        let entries = [("a", "F32", "[2]", "[0,8]"), ("b", "F32", "[2]", "[4,12]")]
        assertFails(
            file(header(entries), data: [UInt8](repeating: 0, count: 12)), .overlap, tensor: "b", mentioning: ["'a'"])
        // Two tensors on the same bytes.
        let same = [("a", "F32", "[2]", "[0,8]"), ("b", "F32", "[2]", "[0,8]")]
        assertFails(file(header(same), data: eightBytes), .overlap, tensor: "b")
    }

    func testDataNotCovered() {
        let gap = [("a", "F32", "[2]", "[0,8]"), ("b", "F32", "[2]", "[12,20]")]
        assertFails(
            file(header(gap), data: [UInt8](repeating: 0, count: 20)), .uncoveredData, tensor: "b",
            mentioning: ["[8, 12)"])
        assertFails(
            file(header([("a", "F32", "[2]", "[4,12]")]), data: [UInt8](repeating: 0, count: 12)), .uncoveredData,
            tensor: "a")
        assertFails(
            file(header([("a", "F32", "[2]", "[0,8]")]), data: [UInt8](repeating: 0, count: 12)), .uncoveredData,
            mentioning: ["[8, 12)"])
        assertFails(file("{}", data: [1]), .uncoveredData)
    }

    // MARK: Files

    func testMissingFileAndDirectory() throws {
        let directory = try temporaryDirectory(self)
        let missing = directory.appendingPathComponent("none.safetensors").path
        XCTAssertThrowsError(try SafeTensors.read(path: missing)) { error in
            let error = error as? SafeTensorsError
            XCTAssertEqual(error?.kind, .io)
            XCTAssertTrue(
                error?.description.hasPrefix(missing + ": cannot open") ?? false, "\(String(describing: error))")
        }
        XCTAssertThrowsError(try SafeTensors.read(path: directory.path)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .io)
        }
    }

    /// Errors from `read(path:)` carry the path.
    func testFileErrorsNameThePath() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("dup.safetensors").path
        let entry = ("enc.w", "F32", "[1]", "[0,4]")
        try file(header([entry, entry]), data: [0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SafeTensors.read(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): tensor 'enc.w': the name appears more than once in the header")
        }
    }

    // MARK: Robustness sweep

    /// Every truncation and thousands of random byte corruptions of a valid file either decode or
    /// throw a `SafeTensorsError`; none crashes, and every truncation is an error.
    func testCorruptionNeverCrashes() throws {
        let valid = try Data(contentsOf: SafeTensorsTests.fixture("safetensors_python.safetensors"))
        for length in 0..<valid.count {
            XCTAssertThrowsError(try SafeTensors.decode(valid.prefix(length))) { error in
                XCTAssertTrue(error is SafeTensorsError)
            }
        }
        var random = SeededRandom(seed: 3)
        var decoded = 0
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                // Mostly the prefix and header, where structure lives; sometimes the data.
                let index = Int.random(in: 0..<(Bool.random(using: &random) ? 300 : bytes.count), using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            do {
                _ = try SafeTensors.decode(bytes)
                decoded += 1
            } catch {
                XCTAssertTrue(error is SafeTensorsError, "\(error)")
            }
        }
        XCTAssertGreaterThan(decoded, 0)  // corrupting data bytes only changes values
    }
}
