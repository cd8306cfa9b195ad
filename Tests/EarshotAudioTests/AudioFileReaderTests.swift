import EarshotTestSupport
import Foundation
import Testing

@testable import EarshotAudio

/// `AudioFileReader` streams a file in blocks of any size: the same samples as `AudioFile.read`, the same
/// checks, each failing at the earliest point it can be known (the header at `init`, a bad sample at the
/// block holding it, a missing tail at the final read).
@Suite final class AudioFileReaderTests {
    /// Scratch files of one test, removed when the test ends.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A format and channel count to write a test file in.
    struct Encoding: Sendable, CustomTestStringConvertible {
        var format: SoundFileFormat
        var channels: Int
        var testDescription: String { "\(format.description), \(channels) ch" }
    }

    static let encodings = [
        Encoding(format: .wavPCM16, channels: 1), Encoding(format: .wavFloat, channels: 1),
        Encoding(format: .wavPCM16, channels: 2), Encoding(format: .flac16, channels: 1),
    ]

    /// Reads `reader` to the end in blocks of `maxFrames`, checking every block but the last is full and
    /// that reading on past the end gives nothing. Returns the samples, concatenated.
    func readAll(_ reader: AudioFileReader, maxFrames: Int) throws -> [Float] {
        var samples: [Float] = []
        var sawShortBlock = false
        while let block = try reader.read(maxFrames: maxFrames) {
            #expect(!sawShortBlock, "a short block before the end of the file")
            #expect(!block.isEmpty && block.count <= maxFrames)
            sawShortBlock = block.count < maxFrames
            samples += block
        }
        #expect(try reader.read(maxFrames: maxFrames) == nil, "reading past the end")
        #expect(reader.framesRead == samples.count)
        return samples
    }

    /// 5003 frames of noise (not a multiple of any block size tried), in every encoding, read in blocks of
    /// 1, 7 and 4096 frames: exactly the samples `AudioFile.read` returns, and the header `AudioFile.info` gives.
    @Test(arguments: encodings, [1, 7, 4096])
    func streamsWhatAudioFileReads(encoding: Encoding, maxFrames: Int) throws {
        let file = path("x")
        let signal = seededNoise(count: 5003 * encoding.channels, seed: 11, amplitude: 0.9)
        try AudioFile.write(
            interleaved: signal, channels: encoding.channels, sampleRate: 16000, format: encoding.format, to: file)

        let reader = try AudioFileReader(path: file)
        #expect(reader.path == file)
        #expect(reader.info == (try AudioFile.info(path: file)))
        #expect(reader.info.frames == 5003)
        let samples = try readAll(reader, maxFrames: maxFrames)
        #expect(samples == (try AudioFile.read(path: file).samples))
    }

    /// A FLAC cut in half: the header still promises 32000 frames and libsndfile decodes what is there
    /// without complaint, so `init` and the blocks succeed and the final read throws `.truncated`.
    @Test func cutFLACThrowsTruncatedAtTheFinalRead() throws {
        let cut = path("cut.flac")
        try AudioFile.write(
            interleaved: seededNoise(count: 32000, seed: 5), channels: 1, sampleRate: 16000, format: .flac16, to: cut)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: cut)[.size] as? Int)
        #expect(truncate(cut, off_t(size / 2)) == 0)

        let reader = try AudioFileReader(path: cut)
        #expect(reader.info.frames == 32000)
        var blocks = 0
        let error = #expect(throws: AudioError.self) {
            while try reader.read(maxFrames: 1000) != nil { blocks += 1 }
        }
        #expect(blocks > 0, "the frames that are there are read")
        #expect(reader.framesRead < 32000)
        #expect(error?.reason == .truncated(expectedFrames: 32000, actualFrames: reader.framesRead))
        #expect(error?.path == cut)
    }

    /// A WAV whose header promises 1000 frames but holds 300 is rejected before any sample is read.
    @Test func truncatedWAVThrowsAtInit() throws {
        let cut = path("cut.wav")
        let values = (0..<1000).map { Int16($0) }
        try writeBytes(Array(wavFile(samples: values, sampleRate: 16000, channels: 1).prefix(44 + 600)), to: cut)
        #expect(throws: AudioError(path: cut, reason: .truncated(expectedFrames: 1000, actualFrames: 300))) {
            try AudioFileReader(path: cut)
        }
    }

    /// NaN at frame 5000 of a mono float WAV and −∞ in the right channel of frame 4100 of a stereo one, read
    /// in blocks of 7: the read of the block holding it throws, with the index counted from the start of the
    /// file; every block before it is returned.
    @Test(arguments: [(channels: 1, frame: 5000), (channels: 2, frame: 4100)])
    func nonFiniteSampleThrowsWithItsIndexInTheFile(channels: Int, frame: Int) throws {
        let file = path("bad.wav")
        var signal = [Float](repeating: 0.1, count: 6000 * channels)
        signal[frame * channels + channels - 1] = channels == 1 ? .nan : -.infinity
        try AudioFile.write(interleaved: signal, channels: channels, sampleRate: 16000, format: .wavFloat, to: file)

        let reader = try AudioFileReader(path: file)
        #expect(throws: AudioError(path: file, reason: .nonFiniteSample(index: frame))) {
            while try reader.read(maxFrames: 7) != nil {}
        }
        #expect(reader.framesRead == frame / 7 * 7, "every block before the bad one was read")
    }

    /// What the header tells is rejected by `init`, with the same error `AudioFile.read` gives.
    @Test func headerProblemsThrowAtInit() throws {
        let zero = path("zero.wav")
        try AudioFile.write(interleaved: [], channels: 1, sampleRate: 16000, format: .wavPCM16, to: zero)
        let slow = path("slow.wav")
        try writeBytes(wavFile(samples: [1, 2, 3], sampleRate: 999, channels: 1), to: slow)
        let cases: [(String, AudioError.Reason)] = [
            (path("missing.wav"), .notFound), (directory.path, .isDirectory), (zero, .noSamples),
            (slow, .unsupportedRate(999)),
        ]
        for (file, reason) in cases {
            #expect(throws: AudioError(path: file, reason: reason)) { try AudioFileReader(path: file) }
            #expect(throws: AudioError(path: file, reason: reason)) { try AudioFile.read(path: file) }
        }
    }
}
