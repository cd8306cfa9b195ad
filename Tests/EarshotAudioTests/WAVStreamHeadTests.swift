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
