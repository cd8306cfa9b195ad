import Foundation

/// The CTC reference cases in `Fixtures/ctc_cases.json` and their `.npy` tensors, written by
/// `Scripts/fixtures/make_ctc_fixtures.py` (see Fixtures/README.md).
struct CTCFixtureCase: Decodable, Sendable, CustomStringConvertible {
    var name: String
    var T: Int
    var B: Int
    var V: Int
    var blank: Int
    var input_lengths: [Int]
    var targets: [[Int]]
    /// −log p per sequence from torch in float64; nil where torch gives +∞ (no alignment fits).
    var losses: [Double?]
    /// The same from torch in float32, for comparison.
    var losses_float32: [Double?]
    /// File names of the (T, B, V) float32 logits and reference gradient.
    var logits: String
    var gradient: String

    var description: String { "\(name) (T=\(T) B=\(B) V=\(V))" }

    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// Every case in `ctc_cases.json`.
    static func all() throws -> [CTCFixtureCase] {
        struct File: Decodable { var cases: [CTCFixtureCase] }
        let data = try Data(contentsOf: directory.appendingPathComponent("ctc_cases.json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }

    /// The named case.
    static func named(_ name: String) throws -> CTCFixtureCase {
        guard let found = try all().first(where: { $0.name == name }) else {
            throw NPYError("no CTC fixture case named \(name)")
        }
        return found
    }

    /// The logits as a test batch.
    func batch() throws -> CTCBatch {
        let values = try readNPYFloat32(Self.directory.appendingPathComponent(logits), shape: [T, B, V])
        return CTCBatch(
            timeSteps: T, vocabularySize: V, inputLengths: input_lengths, targets: targets, blank: blank, logits: values
        )
    }

    /// The reference gradient, (T, B, V).
    func referenceGradient() throws -> [Float] {
        try readNPYFloat32(Self.directory.appendingPathComponent(gradient), shape: [T, B, V])
    }
}

struct NPYError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a little-endian float32, C-order `.npy` file (format 1.0 or 2.0) and checks its shape.
///
/// The format: the magic "\x93NUMPY", two version bytes, the header length (2 bytes little-endian in
/// 1.0, 4 in 2.0), an ASCII Python dict such as `{'descr': '<f4', 'fortran_order': False, 'shape':
/// (333, 16, 29), }` padded with spaces, then the raw values. EarshotNNTests does not depend on
/// EarshotFeatures (whose `FeatureMatrix(npyAt:)` reads 2-D files), so this is a local reader.
func readNPYFloat32(_ url: URL, shape expected: [Int]) throws -> [Float] {
    let data = try Data(contentsOf: url)
    let bytes = [UInt8](data)
    guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
        throw NPYError("\(url.lastPathComponent): not an .npy file")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        headerStart = 10
    case 2, 3:
        headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        headerStart = 12
    default:
        throw NPYError("\(url.lastPathComponent): unsupported .npy version \(major)")
    }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
        throw NPYError("\(url.lastPathComponent): expected little-endian float32 in C order, header \(header)")
    }
    guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
        throw NPYError("\(url.lastPathComponent): no shape in header \(header)")
    }
    let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
        Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard shape == expected else {
        throw NPYError("\(url.lastPathComponent): shape \(shape), expected \(expected)")
    }
    let count = shape.reduce(1, *)
    let dataStart = headerStart + headerLength
    guard bytes.count == dataStart + 4 * count else {
        throw NPYError("\(url.lastPathComponent): \(bytes.count - dataStart) data bytes for \(count) floats")
    }
    return (0..<count).map { i in
        let o = dataStart + 4 * i
        let bits =
            UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        return Float(bitPattern: bits)
    }
}
