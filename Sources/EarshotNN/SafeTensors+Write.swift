import EarshotIO
import Foundation

extension SafeTensors {
    /// Writes `tensors` and `metadata` as a safetensors file, atomically (`AtomicFile`): a reader, or a
    /// crash mid-write, never sees a partial file.
    ///
    /// - Parameters:
    ///   - dtype: element type on disk. Default `.f32`, which round-trips exactly; `.f16` halves the size
    ///     of a model at ~3 significant digits (values beyond ±65504 become infinite).
    ///   - metadata: free-form strings stored under `__metadata__` (omitted when empty).
    /// - Throws: `SafeTensorsError` (`.invalidTensor` for an inconsistent tensor, `.io` when the file
    ///   cannot be written).
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], dtype: DType = .f32, to path: String
    ) throws {
        let plan = try Plan(tensors, metadata: metadata, dtype: dtype, name: path)
        do {
            try AtomicFile.write(to: path) { writer in
                try plan.serialize(tensors) { bytes in try writer.write(bytes) }
            }
        } catch let error as AtomicFileError {
            throw SafeTensorsError(path: path, kind: .io, reason: "\(error.operation) failed: \(error.message)")
        }
    }

    /// The bytes `write` would put in a file: the 8-byte length, the padded JSON header, the data.
    /// Byte-identical to Python's `safetensors.numpy.save` for the same input (metadata keys sorted; see
    /// the type's documentation).
    public static func encode(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], dtype: DType = .f32
    ) throws -> Data {
        let plan = try Plan(tensors, metadata: metadata, dtype: dtype, name: "<memory>")
        var data = Data(capacity: plan.fileLength)
        try plan.serialize(tensors) { bytes in data.append(contentsOf: bytes) }
        return data
    }

    /// What to write where: the entries in data order (sorted by name, as the reference writer sorts
    /// tensors of one dtype) and the finished header.
    private struct Plan {
        var entries: [SafeTensorsHeader.Entry] = []
        var header: [UInt8]
        var dtype: DType
        var fileLength: Int

        init(_ tensors: [String: Tensor], metadata: [String: String], dtype: DType, name: String)
            throws(SafeTensorsError)
        {
            self.dtype = dtype
            var offset = 0
            for tensorName in tensors.keys.sorted(by: SafeTensors.byteOrder) {
                let tensor = tensors[tensorName]!
                guard tensorName != SafeTensorsHeader.metadataKey else {
                    throw SafeTensorsError(
                        path: name, tensor: tensorName, kind: .invalidTensor,
                        reason: "the name is reserved for metadata")
                }
                guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.values.count == tensor.shape.reduce(1, *) else {
                    throw SafeTensorsError(
                        path: name, tensor: tensorName, kind: .invalidTensor,
                        reason: "\(tensor.values.count) values do not fill shape \(tensor.shape)")
                }
                let end = offset + tensor.values.count * dtype.byteCount
                entries.append(
                    .init(
                        name: tensorName, dtype: dtype, shape: tensor.shape, count: tensor.values.count, begin: offset,
                        end: end))
                offset = end
            }
            header = SafeTensorsHeader.encode(entries: entries, metadata: metadata)
            fileLength = 8 + header.count + offset
        }

        /// Hands the file's bytes to `sink` in order: length prefix, header, then each tensor (F32 on a
        /// little-endian machine straight from its storage, other dtypes through a bounded scratch buffer).
        func serialize(_ tensors: [String: Tensor], to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
            try withUnsafeBytes(of: UInt64(header.count).littleEndian) { try sink($0) }
            try header.withUnsafeBytes { try sink($0) }
            var scratch = [UInt8](
                repeating: 0, count: dtype == .f32 ? 0 : SafeTensors.conversionChunk * dtype.byteCount)
            for entry in entries {
                try tensors[entry.name]!.values.withUnsafeBufferPointer { values in
                    #if _endian(little)
                        if dtype == .f32 {
                            try sink(UnsafeRawBufferPointer(values))
                            return
                        }
                    #endif
                    if scratch.count < SafeTensors.conversionChunk * dtype.byteCount {
                        scratch = [UInt8](repeating: 0, count: SafeTensors.conversionChunk * dtype.byteCount)
                    }
                    var done = 0
                    while done < values.count {
                        let n = min(SafeTensors.conversionChunk, values.count - done)
                        try scratch.withUnsafeMutableBytes { raw in
                            let bytes = UnsafeMutableRawBufferPointer(rebasing: raw[0..<(n * dtype.byteCount)])
                            dtype.encode(UnsafeBufferPointer(rebasing: values[done..<(done + n)]), into: bytes)
                            try sink(UnsafeRawBufferPointer(bytes))
                        }
                        done += n
                    }
                }
            }
        }
    }
}
