import EarshotAudio
import EarshotTestSupport
import Foundation
import Testing

/// A WAV stream's head is read chunk by chunk before libsndfile sees it (`AudioStreamReader`, `.wav`): a
/// stream that ends inside it is an error at once (libsndfile 1.2.0 looped for ever on a pipe cut inside a
/// chunk header), and a head with extra chunks, padded or not, still gives every sample.
@Suite struct WAVStreamHeadTests {
    /// 0.1 s of a tone at 16 kHz.
    static let samples: [Float] = (0..<1600).map { Float(0.25 * sin(Double($0) / 5)) }
    /// Its canonical WAV: `RIFF` header, `fmt ` (16 bytes), `data`.
    static let wav = [UInt8](WAVBytes.pcm16(samples, sampleRate: 16000))

    /// `wav` with `chunk` (id, payload; a pad byte when `padded` and the payload is odd) before `data`.
    static func withChunk(_ id: String, _ payload: [UInt8], padded: Bool = true) -> [UInt8] {
        var chunk = Array(id.utf8)
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { chunk += $0 }
        chunk += payload + (padded && payload.count % 2 == 1 ? [0] : [])
        var bytes = Array(wav[0..<36]) + chunk + Array(wav[36...])
        withUnsafeBytes(of: UInt32(bytes.count - 8).littleEndian) { bytes.replaceSubrange(4..<8, with: $0) }
        return bytes
    }

    /// Everything `AudioStreamReader` reads from `bytes` sent through a pipe in blocks of `blockSize`.
    static func read(_ bytes: [UInt8], blockSize: Int = 7) throws -> [Float] {
        let pipe = PipeWriter(bytes: bytes, blockSize: blockSize)
        defer { pipe.finish() }
        let reader = try AudioStreamReader(fileDescriptor: pipe.readEnd, format: .wav, name: "mic")
        var all: [Float] = []
        while let block = try reader.read(maxFrames: 160) { all += block }
        return all
    }

    /// The 40 bytes of `StreamCutHeaderTests`, and cuts at every byte of a `LIST` chunk's header and body.
    @Test(arguments: [36, 37, 40, 43, 44, 46, 50])
    func aStreamEndingInsideItsHeadIsAnError(_ length: Int) throws {
        let bytes = Array(Self.withChunk("LIST", Array("INFOISFT".utf8))[..<length])
        let started = Date()
        #expect {
            _ = try Self.read(bytes)
        } throws: { error in
            guard let error = error as? AudioError, case .streamHeader(let why) = error.reason else { return false }
            return why.hasPrefix("the WAV stream ends inside its header") && why.hasSuffix("after \(length) bytes")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aStreamEndingInsideTheRIFFHeaderIsAnError() throws {
        #expect {
            _ = try Self.read(Array(Self.wav[0..<9]))
        } throws: { error in
            (error as? AudioError)?.description
                == "mic: the WAV stream ends inside its header, in the RIFF header, after 9 bytes"
        }
    }

    /// A chunk of odd size before `data`, padded as RIFF says: the samples are those of the plain WAV, to the
    /// last bit. Without its pad byte (as some writers do) the stream is refused, as libsndfile refuses it.
    @Test func chunksBeforeTheSamplesAreReadPast() throws {
        let plain = try Self.read(Self.wav)
        #expect(plain.count == Self.samples.count)
        #expect(try Self.read(Self.withChunk("JUNK", Array("odd-sized".utf8))) == plain)
        #expect(throws: AudioError.self) {
            try Self.read(Self.withChunk("JUNK", Array("odd-sized".utf8), padded: false))
        }
    }

    @Test func aChunkTooLargeToReadAheadIsAnError() throws {
        var bytes = Self.withChunk("JUNK", [1, 2])
        withUnsafeBytes(of: UInt32(1 << 30).littleEndian) { bytes.replaceSubrange(40..<44, with: $0) }
        #expect {
            _ = try Self.read(bytes)
        } throws: { error in
            guard let error = error as? AudioError, case .streamHeader(let why) = error.reason else { return false }
            return why.hasPrefix("the 'JUNK' chunk before the samples claims 1073741824 bytes")
        }
    }
}

/// RIFX (big-endian) and RF64 (`ds64`, sizes 0xFFFFFFFF) streams: their heads are read as RIFF heads are, so a
/// stream cut inside one is an error at once, and a whole one gives the samples of the same audio as RIFF (RF64
/// from a pipe lost its first 8 bytes of samples when libsndfile parsed its head).
@Suite struct WAVStreamContainerTests {
    /// The plain WAV's samples as 16-bit values.
    static let values: [Int16] = WAVStreamHeadTests.wav[44...].withUnsafeBytes { raw in
        stride(from: 0, to: raw.count, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
    }

    /// `value` as 4 (or, for `UInt16`, 2) bytes, big-endian when `bigEndian`.
    static func field<T: FixedWidthInteger>(_ value: T, bigEndian: Bool) -> [UInt8] {
        withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { Array($0) }
    }

    /// The plain WAV's audio (16 kHz mono 16-bit) in the container `id`: RIFX, all big-endian; RF64, a `ds64`
    /// chunk (its data size `ds64DataSize`, 0 as a writer that cannot seek back leaves it) and the RIFF and `data`
    /// sizes 0xFFFFFFFF. `chunks` (id, payload; padded when odd and `padded`) come before `fmt ` when `first`, else
    /// after it.
    static func stream(
        _ id: String, chunks: [(String, [UInt8])] = [], padded: Bool = true, first: Bool = false,
        ds64DataSize: UInt64? = nil, format: Bool = true
    ) -> [UInt8] {
        let big = id == "RIFX"
        let samples = values.flatMap { field($0, bigEndian: big) }
        var fmt = Array("fmt ".utf8) + field(UInt32(16), bigEndian: big) + field(UInt16(1), bigEndian: big)
        fmt += field(UInt16(1), bigEndian: big) + field(UInt32(16000), bigEndian: big)
        fmt +=
            field(UInt32(32000), bigEndian: big) + field(UInt16(2), bigEndian: big) + field(UInt16(16), bigEndian: big)
        var extra: [UInt8] = []
        for (chunkID, payload) in chunks {
            extra += Array(chunkID.utf8) + field(UInt32(payload.count), bigEndian: big) + payload
            if padded && payload.count % 2 == 1 { extra += [0] }
        }
        let chunksBeforeData = (format ? (first ? extra + fmt : fmt + extra) : extra)
        let dataSize = UInt32(samples.count)
        guard id == "RF64" else {
            let body = Array("WAVE".utf8) + chunksBeforeData + Array("data".utf8) + field(dataSize, bigEndian: big)
            return Array(id.utf8) + field(UInt32(body.count + samples.count), bigEndian: big) + body + samples
        }
        var ds64 = Array("ds64".utf8) + field(UInt32(28), bigEndian: false)
        ds64 += field(UInt64(72 + extra.count + samples.count), bigEndian: false)
        ds64 += field(ds64DataSize ?? UInt64(samples.count), bigEndian: false)
        ds64 += field(UInt64(values.count), bigEndian: false) + field(UInt32(0), bigEndian: false)
        let unknown: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        return Array("RF64".utf8) + unknown + Array("WAVE".utf8) + ds64 + chunksBeforeData + Array("data".utf8)
            + unknown + samples
    }

    @Test(arguments: ["RIFX", "RF64"])
    func aWholeStreamGivesTheSamplesOfTheRIFFOne(_ id: String) throws {
        let plain = try WAVStreamHeadTests.read(WAVStreamHeadTests.wav)
        #expect(try WAVStreamHeadTests.read(Self.stream(id)) == plain)
        #expect(try WAVStreamHeadTests.read(Self.stream(id, chunks: [("JUNK", Array("odd-sized".utf8))])) == plain)
        let tags = Array("INFOISFT".utf8) + Self.field(UInt32(4), bigEndian: id == "RIFX") + Array("sox\0".utf8)
        #expect(try WAVStreamHeadTests.read(Self.stream(id, chunks: [("LIST", tags)])) == plain)
        // Read in one piece too: libsndfile's RF64 parser read past the head when the samples were there at once.
        #expect(try WAVStreamHeadTests.read(Self.stream(id), blockSize: 1 << 16) == plain)
    }

    @Test func anRF64StreamWithoutItsDataSizeGivesItsSamples() throws {
        let plain = try WAVStreamHeadTests.read(WAVStreamHeadTests.wav)
        #expect(try WAVStreamHeadTests.read(Self.stream("RF64", ds64DataSize: 0)) == plain)
        #expect(try WAVStreamHeadTests.read(Self.stream("RF64", chunks: [("JUNK", [1, 2])], first: true)) == plain)
    }

    /// An odd-sized chunk with its pad byte or without: RF64 takes both (EBU 3306 pads, libsndfile's RF64 parser
    /// does not), RIFX only the padded one, as libsndfile's WAV parser.
    @Test func oddChunksWithAndWithoutTheirPadByte() throws {
        let plain = try WAVStreamHeadTests.read(WAVStreamHeadTests.wav)
        let junk = [("JUNK", Array("odd-sized".utf8))]
        #expect(try WAVStreamHeadTests.read(Self.stream("RF64", chunks: junk, padded: false)) == plain)
        #expect(try WAVStreamHeadTests.read(Self.stream("RF64", chunks: junk, padded: false, first: true)) == plain)
        #expect(try WAVStreamHeadTests.read(Self.stream("RF64", chunks: junk, first: true)) == plain)
        #expect(throws: AudioError.self) {
            try WAVStreamHeadTests.read(Self.stream("RIFX", chunks: junk, padded: false))
        }
    }

    /// Cuts inside the container's header, a chunk's header (`ds64`, `fmt `, `data`) and a chunk's body.
    @Test(arguments: [
        ("RIFX", 9, "the RIFX header"), ("RIFX", 14, "the header of a chunk"), ("RIFX", 20, "the 'fmt ' chunk"),
        ("RIFX", 40, "the header of a chunk"), ("RF64", 11, "the RF64 header"), ("RF64", 15, "the header of a chunk"),
        ("RF64", 30, "the 'ds64' chunk"), ("RF64", 50, "the header of a chunk"), ("RF64", 60, "the 'fmt ' chunk"),
        ("RF64", 77, "the header of a chunk"),
    ])
    func aStreamEndingInsideItsHeadIsAnError(_ id: String, _ length: Int, _ part: String) throws {
        let bytes = Array(Self.stream(id)[..<length])
        let started = Date()
        #expect {
            _ = try WAVStreamHeadTests.read(bytes)
        } throws: { error in
            (error as? AudioError)?.description
                == "mic: the WAV stream ends inside its header, in \(part), after \(length) bytes"
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func anRF64StreamWithoutAFormatChunkIsAnError() throws {
        #expect {
            _ = try WAVStreamHeadTests.read(Self.stream("RF64", chunks: [("JUNK", [1, 2])], format: false))
        } throws: { error in
            (error as? AudioError)?.description == "mic: the RF64 stream has no 'fmt ' chunk before its samples"
        }
    }
}
