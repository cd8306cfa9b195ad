@testable import EarshotAudio

/// `WAVHeader.read(path:)` on arbitrary bytes (the whole input is the file): it returns a header or nil, and
/// a header it returns lies within the file it describes.
enum WAVHeaderTarget {
    /// The file the parser reads, holding the current input.
    static let file = MemoryFile(name: "wav-header")

    static func run(_ input: [UInt8]) {
        file.replaceContents(with: input)
        guard let header = WAVHeader.read(path: file.path) else { return }
        require(header.fileBytes == input.count, "fileBytes \(header.fileBytes) for a file of \(input.count)")
        // "RIFF" size "WAVE" (12 bytes) and at least the `data` chunk's own 8-byte header come first.
        require(
            header.dataOffset >= 20 && header.dataOffset <= input.count,
            "dataOffset \(header.dataOffset) outside 20…\(input.count)")
        require(0...0xFFFF ~= header.blockAlign, "blockAlign \(header.blockAlign) is not a UInt16")
        if let declared = header.declaredDataBytes {
            require(declared > 0 && declared < 0xFFFF_FFFF, "declaredDataBytes \(declared) should have been nil")
        }
        if let frames = header.declaredFrames {
            require(frames >= 0 && header.blockAlign > 0, "declaredFrames \(frames), blockAlign \(header.blockAlign)")
        }
        let present = input.count - header.dataOffset
        require(
            header.isTruncated == (header.declaredDataBytes.map { $0 > present } ?? false),
            "isTruncated \(header.isTruncated) with \(present) bytes present")
    }
}
