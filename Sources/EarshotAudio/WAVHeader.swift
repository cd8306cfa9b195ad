#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sizes a RIFF WAVE file's header declares, read by walking its chunks.
///
/// libsndfile reads a WAV whose `data` chunk claims more bytes than the file holds without complaint: it
/// shortens its frame count to what is there and only notes "(should be …)" in its log. Comparing the
/// declared `data` size with the bytes actually present is how `AudioFile` reports such a file as truncated.
struct WAVHeader: Equatable {
    /// Byte offset of the first sample (just after the `data` chunk header).
    var dataOffset: Int
    /// Bytes of sample data the `data` chunk declares, or `nil` when it declares none: 0 or 0xFFFFFFFF,
    /// which tools writing to a pipe put there because they cannot seek back to fill it in.
    var declaredDataBytes: Int?
    /// Bytes per frame (all channels), from the `fmt ` chunk; 0 if that chunk was not found.
    var blockAlign: Int
    /// Size of the whole file in bytes.
    var fileBytes: Int

    /// Frames the header promises, or `nil` if it promises no particular number.
    var declaredFrames: Int? {
        guard let declaredDataBytes, blockAlign > 0 else { return nil }
        return declaredDataBytes / blockAlign
    }

    /// Bytes the file holds after `dataOffset`.
    var presentDataBytes: Int { max(0, fileBytes - dataOffset) }

    /// True when the `data` chunk claims more bytes than the file holds after `dataOffset`.
    var isTruncated: Bool {
        guard let declaredDataBytes else { return false }
        return declaredDataBytes > presentDataBytes
    }

    /// Parses the header of the RIFF WAVE file at `path`; `nil` if it is not one or has no `data` chunk.
    static func read(path: String) -> WAVHeader? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        let fileBytes = Int(status.st_size)

        guard let riff = readBytes(fd, at: 0, count: 12), Array(riff[0..<4]) == Array("RIFF".utf8),
            Array(riff[8..<12]) == Array("WAVE".utf8)
        else { return nil }

        var blockAlign = 0
        var offset = 12
        // A WAV has a handful of chunks; the cap only guards against a malformed file looping forever.
        for _ in 0..<10_000 {
            guard let chunk = readBytes(fd, at: offset, count: 8) else { return nil }
            let size = Int(littleEndianUInt32(chunk, at: 4))
            let body = offset + 8
            switch Array(chunk[0..<4]) {
            case Array("fmt ".utf8):
                if let fmt = readBytes(fd, at: body, count: 16) {
                    blockAlign = Int(UInt16(fmt[12]) | UInt16(fmt[13]) << 8)
                }
            case Array("data".utf8):
                let declared: Int? = (size == 0 || size == 0xFFFF_FFFF) ? nil : size
                return WAVHeader(
                    dataOffset: body, declaredDataBytes: declared, blockAlign: blockAlign, fileBytes: fileBytes)
            default:
                break
            }
            offset = body + size + (size & 1)  // chunks are padded to an even length
            guard offset < fileBytes else { return nil }
        }
        return nil
    }

    /// Exactly `count` bytes at `offset`, or `nil` if the file ends first.
    private static func readBytes(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count ? bytes : nil
    }

    private static func littleEndianUInt32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
            | UInt32(bytes[index + 3]) << 24
    }
}
