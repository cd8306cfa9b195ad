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
///
/// The three WAV containers libsndfile reads: RIFF (little-endian), RIFX (the same, big-endian: sizes and
/// samples) and RF64 (EBU Tech 3306: RIFF with 64-bit sizes in a `ds64` chunk; the 32-bit RIFF and `data` sizes
/// say 0xFFFFFFFF). RIFF and RIFX heads are handed over as they came, for libsndfile's WAV parser, whose walk
/// through the chunks is the one here. An RF64 head is handed over as a RIFF head with its `fmt ` chunk and a
/// `data` chunk of unknown size: libsndfile's RF64 parser, on a pipe, reads on past the `data` chunk's header
/// (it looks for more chunks) and loses the first 8 bytes of samples; the samples of RF64 and RIFF are stored
/// alike, and a stream's sizes are not used.
struct WAVStreamHead {
    /// A WAV container, by the id of its first 4 bytes.
    enum Container: String, CaseIterable {
        case riff = "RIFF"
        case rifx = "RIFX"
        case rf64 = "RF64"

        init?(id: ArraySlice<UInt8>) {
            guard let container = Self.allCases.first(where: { id.elementsEqual($0.rawValue.utf8) }) else {
                return nil
            }
            self = container
        }
    }

    /// What libsndfile is to read first: for a RIFF or RIFX WAVE stream, everything up to the first sample (the
    /// `data` chunk's header included); for an RF64 stream, the RIFF head that stands for its head; for
    /// anything else the first 12 bytes or fewer, left for libsndfile to judge.
    var bytes: [UInt8]

    /// Largest chunk before `data` that is read into memory (a `LIST` of tags is a few hundred bytes): 16 MiB.
    static let chunkLimit = 16 << 20

    /// Reads the head of the stream on `fd` (named `name` in errors), blocking until it has arrived.
    /// 1. The first 12 bytes; a stream that is not `RIFF…WAVE`, `RIFX…WAVE` or `RF64…WAVE` stops here.
    /// 2. Each chunk header, and each chunk's body until the `data` chunk's header.
    /// 3. For RF64, the RIFF head with its first `fmt ` chunk (padded to an even length).
    /// Throws `.noSamples` when the stream ends before its first byte, `.streamHeader` when it ends inside its
    /// head, a chunk before `data` is over `chunkLimit` or an RF64 stream has no `fmt ` chunk before `data`;
    /// `.ioError` when reading fails.
    static func read(from fd: Int32, name: String) throws(AudioError) -> WAVStreamHead {
        var head = WAVStreamHead(bytes: [])
        let count = try head.append(12, from: fd, name: name)
        guard count > 0 else { throw AudioError(path: name, reason: .noSamples) }
        guard count >= 4, let container = Container(id: head.bytes[0..<4]) else { return head }
        guard count == 12 else { throw head.endedEarly(name, inside: "the \(container.rawValue) header") }
        guard head.bytes[8..<12].elementsEqual("WAVE".utf8) else { return head }
        let format = try head.readChunks(container, from: fd, name: name)
        guard container == .rf64 else { return head }
        guard let format else {
            throw AudioError(
                path: name, reason: .streamHeader("the RF64 stream has no 'fmt ' chunk before its samples"))
        }
        let unknown: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        let pad: [UInt8] = format.count % 2 == 1 ? [0] : []
        head.bytes =
            Array("RIFF".utf8) + unknown + Array("WAVE".utf8) + head.bytes[format] + pad + Array("data".utf8) + unknown
        return head
    }

    /// Reads the chunks after the first 12 bytes up to the `data` chunk's header; returns where the first
    /// `fmt ` chunk lies in `bytes` (its header and body), nil when none came before `data`.
    private mutating func readChunks(_ container: Container, from fd: Int32, name: String) throws(AudioError)
        -> Range<Int>?
    {
        var format: Range<Int>?
        // A WAV has a handful of chunks before `data`; the cap only guards against an endless stream of them.
        var offset = 12
        for _ in 0..<10_000 {
            try need(offset + 8, from: fd, name: name, inside: "the header of a chunk")
            let id = bytes[offset..<offset + 4]
            if id.elementsEqual("data".utf8) { return format }
            let field = bytes[(offset + 4)..<(offset + 8)]
            let size = (container == .rifx ? Array(field) : field.reversed()).reduce(0) { $0 << 8 | Int($1) }
            let label = String(decoding: id, as: UTF8.self)
            guard size <= Self.chunkLimit else {
                throw AudioError(
                    path: name,
                    reason: .streamHeader(
                        "the '\(label)' chunk before the samples claims \(size) bytes, more than the \(Self.chunkLimit) read ahead of them"
                    ))
            }
            var end = offset + 8 + size
            try need(end, from: fd, name: name, inside: "the '\(label)' chunk")
            if format == nil && id.elementsEqual("fmt ".utf8) { format = offset..<end }
            if size & 1 == 1 {
                // Chunks are padded to an even length. In RIFF and RIFX always: libsndfile's WAV parser, which reads
                // those heads itself, skips the pad (and refuses a stream whose writer left it out). In RF64 when
                // the byte is zero (no chunk id starts so): EBU 3306 asks for the pad, libsndfile's RF64 parser
                // skips none, and streams of both kinds keep working.
                try need(end + 1, from: fd, name: name, inside: "the '\(label)' chunk")
                if container != .rf64 || bytes[end] == 0 { end += 1 }
            }
            offset = end
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
