import EarshotTestSupport
import Foundation
import Testing

@testable import EarshotAudio

/// Block-coded audio (ADPCM, G.721), which libsndfile decodes past the end of a pipe, is refused on a pipe
/// at once with a message naming its format, and still read from a regular file; such a file cut short is
/// reported as truncated, in bytes (FUZZING.md, finding 10).
@Suite struct PipeEncodingTests {
    /// 0.25 s of noise at 16 kHz.
    static let samples = seededNoise(count: 4000, seed: 11, amplitude: 0.5)

    /// The block codecs tried, with the name their message gives.
    static let blockCoded: [(SoundFileFormat, String)] = [
        (.wavIMAADPCM, "WAV IMA ADPCM"), (.wavMSADPCM, "WAV MS ADPCM"), (.wavG721, "WAV G.721 ADPCM"),
    ]

    /// `samples` written as a WAV file in `format`, as bytes.
    static func wavBytes(_ format: SoundFileFormat) throws -> [UInt8] {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("clip.wav").path
            try AudioFile.write(interleaved: samples, channels: 1, sampleRate: 16000, format: format, to: path)
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// A whole, well-formed file through a pipe: refused when opened, before a sample is decoded. (A stream
    /// that ends early or says "length unknown" made libsndfile invent audio up to the length in the header:
    /// 4 GB of it for 0xFFFFFFFF.)
    @Test(arguments: blockCoded)
    func aBlockCodedStreamIsRefusedWhenOpened(format: SoundFileFormat, name: String) throws {
        let pipe = PipeWriter(bytes: try Self.wavBytes(format), blockSize: 512)
        defer { pipe.finish() }
        #expect(throws: AudioError(path: "<stdin>", reason: .notReadableFromPipe(format: name))) {
            try AudioStreamReader(fileDescriptor: pipe.readEnd, format: .wav)
        }
    }

    /// The fuzzer's input, 326 bytes: an RF64 stream of G.721 samples of unknown length (`data` size
    /// 0xFFFFFFFF). Before, reading it ran for minutes decoding made-up audio.
    @Test func theFuzzersRF64G721StreamIsRefused() throws {
        let formatChunk: [UInt8] =
            Array("fmt ".utf8) + [16, 0, 0, 0, 0x40, 0, 1, 0, 0x80, 0x3E, 0, 0, 0, 0x7D, 0, 0, 2, 0, 16, 0]
        // ds64: RIFF size 0, data size 0x80, sample count 0x40 (8 bytes each), table length 0.
        let zeros = { (count: Int) in [UInt8](repeating: 0, count: count) }
        let ds64 = Array("ds64".utf8) + [28, 0, 0, 0] + zeros(8) + [0x80] + zeros(7) + [0x40] + zeros(7) + zeros(4)
        let unknown: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        let stream =
            Array("RF64".utf8) + unknown + Array("WAVE".utf8) + ds64 + formatChunk + Array("data".utf8) + unknown
            + (0..<246).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let pipe = PipeWriter(bytes: stream, blockSize: 64)
        defer { pipe.finish() }
        #expect(throws: AudioError(path: "<stdin>", reason: .notReadableFromPipe(format: "WAV G.721 ADPCM"))) {
            try AudioStreamReader(fileDescriptor: pipe.readEnd, format: .wav)
        }
    }

    /// A path that names a pipe (`<(cat clip.wav)`) is a pipe too.
    @Test func aBlockCodedFileThroughProcessSubstitutionIsRefused() throws {
        let source = try PipeSource.processSubstitution(bytes: Data(try Self.wavBytes(.wavG721)))
        defer { source.finish() }
        #expect(throws: AudioError(path: source.path, reason: .notReadableFromPipe(format: "WAV G.721 ADPCM"))) {
            try AudioFile.read(path: source.path)
        }
    }

    /// From a regular file the same encodings are read to their real end: every sample, plus at most the
    /// padding of the last block (the codecs code whole blocks).
    @Test(arguments: blockCoded)
    func aBlockCodedFileIsRead(format: SoundFileFormat, name: String) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("clip.wav").path
            try AudioFile.write(interleaved: Self.samples, channels: 1, sampleRate: 16000, format: format, to: path)
            let read = try AudioFile.read(path: path)
            #expect(read.samples.count >= Self.samples.count && read.samples.count < Self.samples.count + 2048)
        }
    }

    /// A block-coded file cut short: its `fmt ` block size spans many frames, so the shortfall is told in bytes
    /// (before: "promises 16 frames but it holds only 3036" for IMA ADPCM, and a G.721 file was read silently).
    @Test(arguments: blockCoded)
    func aTruncatedBlockCodedFileIsReportedInBytes(format: SoundFileFormat, name: String) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("clip.wav").path
            let bytes = try Self.wavBytes(format)
            try writeBytes(Array(bytes.prefix(bytes.count / 2)), to: path)
            let header = try #require(WAVHeader.read(path: path))
            let declared = try #require(header.declaredDataBytes)
            let error = AudioError(
                path: path,
                reason: .truncatedData(declaredBytes: declared, actualBytes: bytes.count / 2 - header.dataOffset))
            #expect(throws: error) { try AudioFile.read(path: path) }
            #expect(error.cause.hasPrefix("file is truncated: its data chunk declares \(declared) bytes"))
        }
    }
}
