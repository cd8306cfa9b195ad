#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The head of a WAV stream, read from a descriptor up to its first sample before libsndfile sees it.
///
/// libsndfile 1.2.0, reading a pipe that ends inside the 8-byte header of a chunk before `data`, loops for
/// ever while its memory grows (FUZZING.md, finding 6). Reading the head here first, chunk by chunk, turns
/// such a stream into an error; libsndfile is then handed a head that is complete through the `data` chunk's
/// header (`StreamFeed`), on which it cannot loop.
struct WAVStreamHead {
    /// The bytes read: for a RIFF WAVE stream everything up to the first sample (the `data` chunk's header
    /// included); for anything else the first 12 bytes or fewer, left for libsndfile to judge.
    var bytes: [UInt8]

    /// Largest chunk before `data` that is read into memory (a `LIST` of tags is a few hundred bytes): 16 MiB.
    static let chunkLimit = 16 << 20

    /// Reads the head of the stream on `fd` (named `name` in errors), blocking until it has arrived.
    /// 1. The first 12 bytes; a stream that is not `RIFF…WAVE` stops here.
    /// 2. Each chunk header, and each chunk's body until the `data` chunk's header.
    /// Throws `.streamHeader` when the stream ends inside its head or a chunk before `data` is over
    /// `chunkLimit`, `.ioError` when reading fails.
    static func read(from fd: Int32, name: String) throws(AudioError) -> WAVStreamHead {
        var head = WAVStreamHead(bytes: [])
        guard try head.append(12, from: fd, name: name) == 12, Array(head.bytes[0..<4]) == Array("RIFF".utf8),
            Array(head.bytes[8..<12]) == Array("WAVE".utf8)
        else {
            if head.bytes.count >= 4 && Array(head.bytes[0..<4]) == Array("RIFF".utf8) && head.bytes.count < 12 {
                throw head.endedEarly(name, inside: "the RIFF header")
            }
            return head
        }
        // A WAV has a handful of chunks before `data`; the cap only guards against an endless stream of them.
        var offset = 12
        for _ in 0..<10_000 {
            try head.need(offset + 8, from: fd, name: name, inside: "the header of a chunk")
            let id = Array(head.bytes[offset..<offset + 4])
            if id == Array("data".utf8) { return head }
            let size =
                Int(head.bytes[offset + 4]) | Int(head.bytes[offset + 5]) << 8 | Int(head.bytes[offset + 6]) << 16
                | Int(head.bytes[offset + 7]) << 24
            let label = String(decoding: id, as: UTF8.self)
            guard size <= chunkLimit else {
                throw AudioError(
                    path: name,
                    reason: .streamHeader(
                        "the '\(label)' chunk before the samples claims \(size) bytes, more than the \(chunkLimit) read ahead of them"
                    ))
            }
            // Chunks are padded to an even length (libsndfile refuses a stream whose writer left the pad out).
            offset += 8 + size + (size & 1)
            try head.need(offset, from: fd, name: name, inside: "the '\(label)' chunk")
        }
        throw AudioError(path: name, reason: .streamHeader("more than 10000 chunks before the samples"))
    }

    /// Reads until `bytes` holds `count` bytes; throws `.streamHeader` naming `part` when the stream ends first.
    private mutating func need(_ count: Int, from fd: Int32, name: String, inside part: String) throws(AudioError) {
        guard bytes.count < count else { return }
        let missing = count - bytes.count
        guard try append(missing, from: fd, name: name) == missing else { throw endedEarly(name, inside: part) }
    }

    /// The error for a stream that ended inside its head.
    private func endedEarly(_ name: String, inside part: String) -> AudioError {
        AudioError(
            path: name,
            reason: .streamHeader("the WAV stream ends inside its header, in \(part), after \(bytes.count) bytes"))
    }

    /// Reads `count` more bytes from `fd` into `bytes`, fewer only when the stream ends; returns how many came.
    private mutating func append(_ count: Int, from fd: Int32, name: String) throws(AudioError) -> Int {
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: count)
        let filled = try readFully(fd, into: &bytes, at: start, count: count, name: name)
        bytes.removeLast(count - filled)
        return filled
    }
}
