import EarshotIO
import Foundation

/// NumPy `.npy` (format 1.0) reading and writing, so Python can load features with `numpy.load`:
/// little-endian float32 (`<f4`), C order, shape (frames, dimension).
extension FeatureMatrix {
    /// The `.npy` bytes of this matrix: `npyHeader()`, then the values.
    public func npyData() -> Data {
        var data = npyHeader()
        values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }  // x86_64 and arm64 are little-endian
        return data
    }

    /// The `.npy` header of this matrix (a multiple of 64 bytes), for writers that stream the values after it.
    public func npyHeader() -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(frameCount), \(dimension)), }"
        // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64
        // and ended by a newline, as the format asks.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }

    /// Writes the `.npy` file with `AtomicFile`: to a temporary name beside `path`, then renamed over it (a
    /// device or a named pipe is written through). Throws `AtomicFileError`.
    public func writeNPY(to path: String) throws {
        try AtomicFile.write(npyData(), to: path)
    }

    /// Reads a 2-D little-endian float32 C-order `.npy` file (a 1-D one is read as one row); a pipe too.
    public init(npyAt path: String) throws {
        let data: Data
        do {
            data = try FileContents.read(path: path)
        } catch {
            throw FeatureError.npy("\(path): cannot read the file: \(error.message)")
        }
        try self.init(npyData: data, name: path)
    }

    public init(npyData data: Data, name: String = "<npy>") throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, String(decoding: bytes[1..<6], as: UTF8.self) == "NUMPY" else {
            throw FeatureError.npy("\(name): not a .npy file")
        }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let start = 8 + lengthBytes
        guard bytes.count >= start + headerLength else { throw FeatureError.npy("\(name): truncated header") }
        let header = String(decoding: bytes[start..<start + headerLength], as: UTF8.self)
        guard header.contains("'descr': '<f4'") else {
            throw FeatureError.npy("\(name): only little-endian float32 ('<f4') is supported; header \(header)")
        }
        guard header.contains("'fortran_order': False") else {
            throw FeatureError.npy("\(name): Fortran-order arrays are not supported")
        }
        guard let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")") else {
            throw FeatureError.npy("\(name): no shape in header \(header)")
        }
        let shape = header[header.index(after: open)..<close].split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let rows = shape.count == 2 ? shape[0] : 1
        let columns = shape.count == 2 ? shape[1] : (shape.first ?? 0)
        let payload = start + headerLength
        guard shape.count <= 2, bytes.count - payload == rows * columns * 4 else {
            throw FeatureError.npy("\(name): shape \(shape) does not match \(bytes.count - payload) data bytes")
        }
        let values = data.subdata(in: payload..<data.count).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        self.init(frameCount: rows, dimension: columns, values: values)
    }
}
