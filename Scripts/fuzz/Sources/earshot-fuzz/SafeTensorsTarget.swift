import EarshotNN
import Foundation

/// The safetensors reader on arbitrary bytes, from memory (`SafeTensors.decode`) and from a file
/// (`SafeTensors.read(path:)`, positioned reads): both accept or both reject (with the same error kind and
/// tensor), agree value for value, give each tensor `shape.reduce(1, *)` values, and what they accept
/// survives `SafeTensors.encode` (as F32) and a second decode unchanged.
enum SafeTensorsTarget {
    /// The file the parser reads, holding the current input.
    static let file = MemoryFile(name: "safetensors")

    static func run(_ input: [UInt8]) {
        file.replaceContents(with: input)
        let fromMemory = Result { try SafeTensors.decode(Data(input)) }
        let fromFile = Result { try SafeTensors.read(path: file.path) }
        switch (fromMemory, fromFile) {
        case (.success(let a), .success(let b)):
            require(same(a.tensors, b.tensors) && a.metadata == b.metadata, "memory and file reads differ")
            for (name, tensor) in a.tensors {
                require(
                    tensor.shape.allSatisfy { $0 >= 0 } && tensor.values.count == tensor.shape.reduce(1, *),
                    "tensor \(name): shape \(tensor.shape), \(tensor.values.count) values")
            }
            checkRoundTrip(a.tensors, metadata: a.metadata)
        case (.failure(let a), .failure(let b)):
            let memoryError = a as? SafeTensorsError
            let fileError = b as? SafeTensorsError
            require(memoryError != nil, "decode threw \(a), not a SafeTensorsError")
            require(fileError != nil, "read threw \(b), not a SafeTensorsError")
            require(
                memoryError?.kind == fileError?.kind && memoryError?.tensor == fileError?.tensor,
                "memory: \(a); file: \(b)")
        case (.success, .failure(let error)):
            require(false, "decode accepted what read(path:) rejects: \(error)")
        case (.failure(let error), .success):
            require(false, "read(path:) accepted what decode rejects: \(error)")
        }
    }

    private static func checkRoundTrip(_ tensors: [String: Tensor], metadata: [String: String]) {
        let encoded: Data
        do {
            encoded = try SafeTensors.encode(tensors, metadata: metadata)
        } catch {
            require(false, "encode rejected what decode accepted: \(error)")
            return
        }
        do {
            let again = try SafeTensors.decode(encoded)
            require(same(again.tensors, tensors) && again.metadata == metadata, "encode then decode changed it")
        } catch {
            require(false, "decode rejected what encode wrote: \(error)")
        }
    }

    /// Equal names, shapes and value bits (so NaNs compare by payload).
    private static func same(_ a: [String: Tensor], _ b: [String: Tensor]) -> Bool {
        a.count == b.count
            && a.allSatisfy { name, tensor in
                guard let other = b[name] else { return false }
                return tensor.shape == other.shape && tensor.values.map(\.bitPattern) == other.values.map(\.bitPattern)
            }
    }
}
