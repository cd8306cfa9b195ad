import Foundation

/// Reading and writing the safetensors format, in which Hugging Face and PyTorch exchange weights and in
/// which Earshot stores models and training checkpoints.
///
/// Layout of a file:
/// ```
/// [8 bytes]  N, the header length, unsigned little-endian
/// [N bytes]  JSON: {"__metadata__": {"key": "value", …},
///                   "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …}
///            padded with spaces so that N is a multiple of 8
/// [rest]     the tensors' little-endian bytes, row-major; offsets count from here, `end` exclusive
/// ```
/// The writer produces exactly the bytes of Python's `safetensors` (`numpy.save` / `torch.save`) for the
/// same tensors: one dtype per file, tensors sorted by name bytes, compact JSON escaped as `serde_json`
/// does. Two caveats (details in Tests/EarshotNNTests/Fixtures/README.md): with two or more metadata
/// keys the reference orders them by a randomised hash map while we sort them, so we match one of its
/// orders; and a NaN written as BF16 is `0x7FC0` here but `0xFFFF` from PyTorch's vectorised conversion.
/// The reader accepts F32, F16, BF16 and F64 and rejects every malformed file with a `SafeTensorsError`
/// naming the file and the tensor.
public enum SafeTensors {
    /// Headers larger than this many bytes (100 MB, the reference implementation's `MAX_HEADER_SIZE`) are
    /// refused before anything is allocated (`SafeTensorsError.Kind.headerTooLarge`); real headers are
    /// kilobytes. The tensors' data is bounded by the file's size: every tensor's byte range must lie in it.
    public static let maxHeaderLength = 100_000_000

    /// Tensor names and metadata keys are ordered by their UTF-8 bytes, as Rust's `String` orders them
    /// in the reference writer (Swift's `<` on `String` compares Unicode scalars, which can differ).
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Elements converted per chunk when a dtype conversion needs a scratch buffer (256 KiB of F64),
    /// so memory stays bounded however large a tensor is.
    static let conversionChunk = 32_768
}
