import Foundation

extension SafeTensors {
    /// Reads every tensor of a safetensors file, converting F16, BF16 and F64 to `Float`.
    ///
    /// The file is read with positioned reads straight into each tensor's storage: one allocation per
    /// tensor (plus one bounded scratch buffer for conversions), never a copy of the whole file.
    /// - Throws: `SafeTensorsError` naming `path` and, when one is at fault, the tensor.
    public static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let source = try SafeTensorsFileSource(path: path)
        defer { source.closeFile() }
        return try decode(from: source, name: path)
    }

    /// Decodes the bytes of a safetensors file held in memory; `name` stands for the path in errors.
    public static func decode(_ data: Data, name: String = "<memory>") throws -> (
        tensors: [String: Tensor], metadata: [String: String]
    ) {
        try decode(from: SafeTensorsDataSource(data: data), name: name)
    }

    static func decode(from source: some SafeTensorsByteSource, name: String) throws -> (
        tensors: [String: Tensor], metadata: [String: String]
    ) {
        let (header, dataLength) = try readHeader(from: source, name: name)
        let dataStart = source.count - dataLength
        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(header.entries.count)
        var scratch: [UInt8] = []
        for entry in header.entries {
            let values = try readValues(of: entry, at: dataStart, from: source, scratch: &scratch)
            tensors[entry.name] = Tensor(shape: entry.shape, values: values)
        }
        return (tensors, header.metadata)
    }

    /// Reads and validates the length prefix and the JSON header.
    private static func readHeader(from source: some SafeTensorsByteSource, name: String) throws
        -> (header: SafeTensorsHeader, dataLength: Int)
    {
        guard source.count >= 8 else {
            throw SafeTensorsError(
                path: name, kind: .tooShort,
                reason: "the file has \(source.count) bytes, fewer than the 8 of the header length")
        }
        var prefix: UInt64 = 0
        try withUnsafeMutableBytes(of: &prefix) { buffer in try source.read(into: buffer, at: 0) }
        let declared = UInt64(littleEndian: prefix)
        guard declared <= UInt64(source.count - 8) else {
            throw SafeTensorsError(
                path: name, kind: .headerBeyondFile,
                reason: "header length \(declared) runs past the end of the file (\(source.count) bytes; truncated?)")
        }
        let length = Int(declared)
        guard length <= maxHeaderLength else {
            throw SafeTensorsError(
                path: name, kind: .headerTooLarge,
                reason: "header length \(length) bytes exceeds the limit of \(maxHeaderLength) bytes (100 MB)")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        try bytes.withUnsafeMutableBytes { buffer in try source.read(into: buffer, at: 8) }
        let dataLength = source.count - 8 - length
        let header = try SafeTensorsHeader.parse(bytes, dataLength: dataLength, path: name)
        return (header, dataLength)
    }

    /// One tensor's values, in a single allocation of exactly `entry.count` floats.
    private static func readValues(
        of entry: SafeTensorsHeader.Entry, at dataStart: Int, from source: some SafeTensorsByteSource,
        scratch: inout [UInt8]
    ) throws -> [Float] {
        var values = [Float](repeating: 0, count: entry.count)
        let offset = dataStart + entry.begin
        try values.withUnsafeMutableBufferPointer { out in
            #if _endian(little)
                if entry.dtype == .f32 {
                    // Already the in-memory representation: read straight into the result.
                    try source.read(into: UnsafeMutableRawBufferPointer(out), at: offset)
                    return
                }
            #endif
            let chunk = min(conversionChunk, out.count)
            if scratch.count < chunk * entry.dtype.byteCount {
                scratch = [UInt8](repeating: 0, count: chunk * entry.dtype.byteCount)
            }
            var done = 0
            while done < out.count {
                let n = min(chunk, out.count - done)
                let byteCount = n * entry.dtype.byteCount
                try scratch.withUnsafeMutableBytes { raw in
                    let bytes = UnsafeMutableRawBufferPointer(rebasing: raw[0..<byteCount])
                    try source.read(into: bytes, at: offset + done * entry.dtype.byteCount)
                    entry.dtype.decode(
                        UnsafeRawBufferPointer(bytes),
                        into: UnsafeMutableBufferPointer(rebasing: out[done..<(done + n)]))
                }
                done += n
            }
        }
        return values
    }
}
