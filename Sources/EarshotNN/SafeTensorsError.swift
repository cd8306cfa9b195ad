/// Why a safetensors file could not be read or written. The description reads
/// `<path>: tensor '<name>': <reason>` (or `<path>: <reason>` when no single tensor is at fault), so a
/// log line says which file is corrupt, which tensor, and what is wrong with it.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for code that wants to react to one kind (tests, a loader's fallback).
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, read or written (the reason carries the system's message).
        case io
        /// Fewer than the 8 bytes that hold the header length.
        case tooShort
        /// The header length points past the end of the file (typically a truncated file).
        case headerBeyondFile
        /// The header length is over the 100 MB limit the reference implementation also enforces.
        case headerTooLarge
        /// The header is not UTF-8, not JSON, or not the expected object structure.
        case invalidHeader
        /// Two tensors (or two metadata keys) with the same name.
        case duplicateName
        /// A dtype that is not in the safetensors specification.
        case unknownDType
        /// A dtype of the specification that Earshot does not read (integers, booleans, 8-bit floats).
        case unsupportedDType
        /// The byte length given by `data_offsets` is not shape × dtype size.
        case sizeMismatch
        /// `data_offsets` end before they begin or reach past the end of the data section.
        case offsetsOutOfRange
        /// Two tensors' byte ranges overlap.
        case overlap
        /// Bytes of the data section belong to no tensor (a gap, or bytes after the last tensor).
        case uncoveredData
        /// A tensor handed to the writer is inconsistent (values ≠ shape, reserved name).
        case invalidTensor
    }

    /// The file (or, for in-memory decoding, the name given by the caller).
    public var path: String
    /// The tensor at fault, when there is one.
    public var tensor: String?
    public var kind: Kind
    /// Human-readable cause, without the path and tensor name.
    public var reason: String

    public init(path: String, tensor: String? = nil, kind: Kind, reason: String) {
        self.path = path
        self.tensor = tensor
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        if let tensor { return "\(path): tensor '\(tensor)': \(reason)" }
        return "\(path): \(reason)"
    }
}
