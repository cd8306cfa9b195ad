import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// SafeTensors against the reference implementation (Python `safetensors` 0.8.0; fixtures made by
/// `Scripts/fixtures/make_safetensors_fixtures.py`, see Fixtures/README.md), and round trips.
final class SafeTensorsTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// What `safetensors_python.json` says the reader must return.
    struct Expected: Decodable {
        struct Entry: Decodable {
            var dtype: String
            var shape: [Int]
            var float32_bits: [UInt32]
        }
        var metadata: [String: String]
        var tensors: [String: Entry]
    }

    /// Bit-exact comparison, except that any NaN matches any NaN (payloads are not part of the contract).
    func assertSameFloats(
        _ actual: [Float], _ expected: [Float], _ name: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(actual.count, expected.count, "\(name): count", file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated()
        where !(a.isNaN && e.isNaN) && a.bitPattern != e.bitPattern {
            XCTFail(
                "\(name)[\(i)]: got \(a) (0x\(String(a.bitPattern, radix: 16))), expected \(e) "
                    + "(0x\(String(e.bitPattern, radix: 16)))", file: file, line: line)
            return
        }
    }

    // MARK: Reading the reference's files

    /// F32, F16, BF16 and F64 tensors written by `safetensors.torch` read back exactly as torch's own
    /// `.float()` converts them, special values included; a scalar and an empty tensor keep their shapes.
    func testReadsPythonFileExactly() throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Self.fixture("safetensors_python.json")))
        let (tensors, metadata) = try SafeTensors.read(path: Self.fixture("safetensors_python.safetensors").path)
        XCTAssertEqual(metadata, expected.metadata)
        XCTAssertEqual(Set(tensors.keys), Set(expected.tensors.keys))
        for (name, entry) in expected.tensors {
            let tensor = try XCTUnwrap(tensors[name], name)
            XCTAssertEqual(tensor.shape, entry.shape, name)
            assertSameFloats(tensor.values, entry.float32_bits.map(Float.init(bitPattern:)), "\(name) (\(entry.dtype))")
        }
    }

    /// Reading from a file and decoding the same bytes in memory agree.
    func testReadAndDecodeAgree() throws {
        let url = Self.fixture("safetensors_python.safetensors")
        let fromFile = try SafeTensors.read(path: url.path)
        let fromMemory = try SafeTensors.decode(Data(contentsOf: url))
        XCTAssertEqual(fromFile.metadata, fromMemory.metadata)
        XCTAssertEqual(fromFile.tensors.count, fromMemory.tensors.count)
        for (name, tensor) in fromFile.tensors {
            XCTAssertEqual(tensor.shape, fromMemory.tensors[name]?.shape)
            assertSameFloats(tensor.values, fromMemory.tensors[name]?.values ?? [], name)
        }
    }

    // MARK: Writing byte-identically to the reference

    /// The first byte where two encodings differ, ignoring a data element that is NaN in both: NaN
    /// payloads are not part of the contract, and PyTorch's own BF16 conversion gives NaN as `0x7FC0` in
    /// its scalar path but `0xFFFF` in its AVX-512 path (the one that made the fixture); we write `0x7FC0`.
    static func firstDifference(_ a: Data, _ b: Data, dtype: SafeTensors.DType) -> Int? {
        guard a.count == b.count else { return min(a.count, b.count) }
        let x = [UInt8](a), y = [UInt8](b)
        guard let first = zip(x, y).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
            return nil
        }
        let dataStart = 8 + Int(x[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard first >= dataStart else { return first }
        func isNaN(_ bytes: [UInt8], _ at: Int) -> Bool {
            let raw = bytes[at..<(at + dtype.byteCount)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return switch dtype {
            case .f32: Float(bitPattern: UInt32(raw)).isNaN
            case .f64: Double(bitPattern: raw).isNaN
            case .bf16: Float(bitPattern: UInt32(raw) << 16).isNaN
            case .f16: raw & 0x7C00 == 0x7C00 && raw & 0x3FF != 0
            }
        }
        for element in stride(
            from: dataStart + (first - dataStart) / dtype.byteCount * dtype.byteCount, to: x.count, by: dtype.byteCount)
        where x[element..<(element + dtype.byteCount)] != y[element..<(element + dtype.byteCount)] {
            if !(isNaN(x, element) && isNaN(y, element)) { return element }
        }
        return nil
    }

    /// Our encoder reproduces the reference writer's bytes: F32 and F16 as `safetensors.numpy.save`
    /// writes them (NumPy's F16 rounding), BF16 and F64 as `safetensors.torch.save` does. The metadata
    /// holds every JSON escape and non-ASCII text; names include upper case, `/`, and non-ASCII.
    func testEncodingIsByteIdenticalToPython() throws {
        let f32 = try Data(contentsOf: Self.fixture("safetensors_numpy_f32.safetensors"))
        let (tensors, metadata) = try SafeTensors.decode(f32)
        XCTAssertEqual(metadata.count, 3)
        XCTAssertEqual(tensors.count, 8)
        let references: [(SafeTensors.DType, String)] = [
            (.f32, "safetensors_numpy_f32.safetensors"), (.f16, "safetensors_numpy_f16.safetensors"),
            (.bf16, "safetensors_torch_bf16.safetensors"), (.f64, "safetensors_torch_f64.safetensors"),
        ]
        for (dtype, file) in references {
            let expected = try Data(contentsOf: Self.fixture(file))
            let ours = try SafeTensors.encode(tensors, metadata: metadata, dtype: dtype)
            if let at = Self.firstDifference(ours, expected, dtype: dtype) {
                XCTFail(
                    "\(dtype): our \(ours.count) bytes differ from \(file)'s \(expected.count) at byte \(at): "
                        + "ours …\(String(decoding: ours[max(0, at - 20)..<min(ours.count, at + 40)], as: UTF8.self))")
            }
        }
        // For the by-hand check that Python loads what `write` produces (see Fixtures/README.md).
        if let path = ProcessInfo.processInfo.environment["EARSHOT_SAFETENSORS_OUT"] {
            try SafeTensors.write(tensors, metadata: metadata, to: path)
            print("wrote \(path)")
        }
    }

    /// With no tensors and no metadata the header is `{}` padded to 8 bytes, as the reference writes it.
    func testEmptyFile() throws {
        let data = try SafeTensors.encode([:])
        XCTAssertEqual(Array(data), [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        let (tensors, metadata) = try SafeTensors.decode(data)
        XCTAssertTrue(tensors.isEmpty)
        XCTAssertTrue(metadata.isEmpty)
    }

    // MARK: Round trips

    func testRoundTripThroughFileInEveryDType() throws {
        let directory = try temporaryDirectory(self)
        var random = SeededRandom(seed: 11)
        let tensors: [String: Tensor] = [
            "w": Tensor(shape: [4, 5], values: random.floats(20)),
            "b": Tensor(shape: [5], values: random.floats(5)),
            "s": Tensor(shape: [], values: [-7.25]),
            "z": Tensor(shape: [3, 0, 2], values: []),
            "big": Tensor(shape: [70_000], values: random.floats(70_000)),  // more than one conversion chunk
        ]
        let metadata = ["step": "42", "config": #"{"hidden": 320}"#]
        for dtype in SafeTensors.DType.allCases {
            let path = directory.appendingPathComponent("model-\(dtype.rawValue).safetensors").path
            try SafeTensors.write(tensors, metadata: metadata, dtype: dtype, to: path)
            let (read, readMetadata) = try SafeTensors.read(path: path)
            XCTAssertEqual(readMetadata, metadata)
            XCTAssertEqual(Set(read.keys), Set(tensors.keys))
            for (name, tensor) in tensors {
                XCTAssertEqual(read[name]?.shape, tensor.shape, "\(dtype) \(name)")
                // F32 and F64 are exact; F16 keeps 11 significant bits (relative error ≤ 2^-11 for
                // these normal values in [-1, 1) … except tiny ones, hence the absolute floor 2^-24);
                // BF16 keeps 8 bits (≤ 2^-8 relative).
                let relative: Float =
                    switch dtype {
                    case .f32, .f64: 0
                    case .f16: 0x1p-11
                    case .bf16: 0x1p-8
                    }
                for (got, want) in zip(read[name]!.values, tensor.values)
                where abs(got - want) > relative * abs(want) + (dtype == .f16 ? 0x1p-24 : 0) {
                    XCTFail("\(dtype) \(name): \(got) vs \(want)")
                    break
                }
            }
            XCTAssertEqual(
                try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int,
                try SafeTensors.encode(tensors, metadata: metadata, dtype: dtype).count)
        }
        // Only the files themselves: no temporary file left behind.
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).count, SafeTensors.DType.allCases.count)
    }

    /// A parameter's values become a tensor of its shape; rewriting a file replaces it.
    func testParameterToTensorAndOverwrite() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("p.safetensors").path
        let parameter = Parameter(name: "fc.weight", shape: [2, 3], value: [1, 2, 3, 4, 5, 6])
        try SafeTensors.write([parameter.name: Tensor(parameter)], to: path)
        parameter.value[0] = 100
        try SafeTensors.write([parameter.name: Tensor(parameter)], metadata: ["v": "2"], to: path)
        let (tensors, metadata) = try SafeTensors.read(path: path)
        XCTAssertEqual(tensors, ["fc.weight": Tensor(shape: [2, 3], values: [100, 2, 3, 4, 5, 6])])
        XCTAssertEqual(metadata, ["v": "2"])
    }

    /// A header as other writers may produce it: whitespace, tensors listed out of data order, escaped
    /// characters (`\/`, `\u00e9`, a surrogate pair), unknown fields — all accepted.
    func testReadsLiberalHeader() throws {
        let header = """
            { "b" : {"shape": [1], "dtype": "F32", "data_offsets": [4, 8], "extra": [null, true, {}]},
              "caf\\u00e9\\/\\ud834\\udd1e": {"dtype": "F32", "shape": [ 1 ], "data_offsets": [0, 4]},
              "__metadata__": {"k\\n": "v\\"\\t"} }
            """
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for value: Float in [1.5, -2] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        let (tensors, metadata) = try SafeTensors.decode(data)
        XCTAssertEqual(tensors, ["café/𝄞": Tensor(shape: [1], values: [1.5]), "b": Tensor(shape: [1], values: [-2])])
        XCTAssertEqual(metadata, ["k\n": "v\"\t"])
    }

    func testEncodeRejectsInconsistentTensors() {
        var bad = Tensor(shape: [2], values: [1, 2])
        bad.shape = [3]
        XCTAssertThrowsError(try SafeTensors.encode(["w": bad])) { error in
            let error = error as? SafeTensorsError
            XCTAssertEqual(error?.kind, .invalidTensor)
            XCTAssertEqual(error?.tensor, "w")
        }
        XCTAssertThrowsError(try SafeTensors.encode(["__metadata__": Tensor(shape: [], values: [0])])) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .invalidTensor)
        }
    }

    func testWriteIntoMissingDirectoryFails() {
        XCTAssertThrowsError(try SafeTensors.write([:], to: "/nonexistent-earshot-dir/m.safetensors")) { error in
            let error = error as? SafeTensorsError
            XCTAssertEqual(error?.kind, .io)
            XCTAssertTrue(
                error?.description.hasPrefix("/nonexistent-earshot-dir/m.safetensors: ") ?? false,
                "\(String(describing: error))")
        }
    }
}
