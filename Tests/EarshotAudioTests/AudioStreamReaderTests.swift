import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// Reading through real pipes, fed by another thread in small blocks as a shell pipeline would: the same
/// samples as the file reader, in blocks of the requested size.
final class AudioStreamReaderTests: XCTestCase {
    /// Reads `fd` to the end in blocks of `maxFrames`, checking every block but the last is full.
    func readAll(_ reader: AudioStreamReader, maxFrames: Int, file: StaticString = #filePath, line: UInt = #line)
        throws -> [Float]
    {
        var samples: [Float] = []
        var sawShortBlock = false
        while let block = try reader.read(maxFrames: maxFrames) {
            XCTAssertFalse(sawShortBlock, "a short block before the end of the stream", file: file, line: line)
            XCTAssertFalse(block.isEmpty, file: file, line: line)
            XCTAssertLessThanOrEqual(block.count, maxFrames, file: file, line: line)
            sawShortBlock = block.count < maxFrames
            samples += block
        }
        XCTAssertNil(try reader.read(maxFrames: maxFrames), "reading past the end", file: file, line: line)
        XCTAssertEqual(reader.framesRead, samples.count, file: file, line: line)
        return samples
    }

    /// Reads `bytes` through a pipe as `format`, written in blocks of `blockSize` bytes.
    func readThroughPipe(_ bytes: [UInt8], format: StreamFormat, blockSize: Int, maxFrames: Int) throws
        -> (samples: [Float], reader: AudioStreamReader)
    {
        let pipe = PipeWriter(bytes: bytes, blockSize: blockSize)
        defer { pipe.finish() }
        let reader = try AudioStreamReader(fileDescriptor: pipe.readEnd, format: format)
        return (try readAll(reader, maxFrames: maxFrames), reader)
    }

    func testWAVThroughPipeMatchesFileReader() throws {
        let directory = try temporaryDirectory(self)
        let cases: [(SoundFileFormat, Int)] = [(.wavPCM16, 1), (.wavFloat, 2), (.wavPCM24, 3)]
        for (format, channels) in cases {
            let path = directory.appendingPathComponent("\(channels).wav").path
            let signal = seededNoise(count: 5003 * channels, seed: UInt64(channels))
            try AudioFile.write(interleaved: signal, channels: channels, sampleRate: 16000, format: format, to: path)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let (samples, reader) = try readThroughPipe(bytes, format: .wav, blockSize: 333, maxFrames: 256)
            XCTAssertEqual(reader.sampleRate, 16000)
            XCTAssertEqual(reader.channels, channels)
            XCTAssertEqual(samples, try AudioFile.read(path: path).samples, "\(format.description), \(channels) ch")
        }
    }

    /// Tools streaming WAV to a pipe cannot fill in the length, and write 0xFFFFFFFF: read to the end anyway.
    func testWAVWithUnknownLengthThroughPipe() throws {
        let values = (0..<3000).map { Int16(truncatingIfNeeded: $0 * 37) }
        let bytes = wavFile(samples: values, sampleRate: 8000, channels: 1, declaredDataBytes: 0xFFFF_FFFF)
        let (samples, reader) = try readThroughPipe(bytes, format: .wav, blockSize: 1000, maxFrames: 1024)
        XCTAssertEqual(reader.sampleRate, 8000)
        XCTAssertEqual(samples, values.map { Float($0) / 32768 })
    }

    /// A regular file opened by the caller (as `earshot - < file.wav` gives stdin) works the same.
    func testWAVFromRegularFileDescriptor() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("f.wav").path
        let signal = seededNoise(count: 4000, seed: 9)
        try AudioFile.write(AudioBuffer(samples: signal, sampleRate: 22050), to: path, encoding: .float32)
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let reader = try AudioStreamReader(fileDescriptor: fd, format: .wav, name: path)
        XCTAssertEqual(reader.sampleRate, 22050)
        XCTAssertEqual(try readAll(reader, maxFrames: 1000), signal)
    }

    func testRawS16LE() throws {
        let values = (0..<7001).map { Int16(truncatingIfNeeded: $0 &* 7919) }
        let (samples, reader) = try readThroughPipe(
            littleEndianBytes(values), format: .raw(sampleRate: 8000, encoding: .s16le, channels: 1),
            blockSize: 101, maxFrames: 500)
        XCTAssertEqual(reader.sampleRate, 8000)
        XCTAssertEqual(samples, values.map { Float($0) / 32768 })
        XCTAssertEqual(reader.droppedTrailingBytes, 0)
    }

    func testRawStereoS16LEIsAveraged() throws {
        let left = (0..<2000).map { Int16(truncatingIfNeeded: $0 &* 31) }
        let right = (0..<2000).map { Int16(truncatingIfNeeded: $0 &* -17) }
        let bytes = littleEndianBytes(zip(left, right).flatMap { [$0, $1] })
        let (samples, _) = try readThroughPipe(
            bytes, format: .raw(sampleRate: 16000, encoding: .s16le, channels: 2), blockSize: 77, maxFrames: 300)
        XCTAssertEqual(samples, zip(left, right).map { (Float($0) / 32768 + Float($1) / 32768) * 0.5 })
    }

    /// Raw f32le matches the file reader on the same samples (written as a float WAV).
    func testRawF32LEMatchesFileReader() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("s.wav").path
        let stereo = seededNoise(count: 2 * 3000, seed: 11, amplitude: 0.9)
        try AudioFile.write(interleaved: stereo, channels: 2, sampleRate: 48000, format: .wavFloat, to: path)
        let (samples, reader) = try readThroughPipe(
            littleEndianBytes(stereo), format: .raw(sampleRate: 48000, encoding: .f32le, channels: 2),
            blockSize: 500, maxFrames: 1000)
        XCTAssertEqual(reader.sampleRate, 48000)
        XCTAssertEqual(samples, try AudioFile.read(path: path).samples)
    }

    /// An odd byte count (half a sample) or an incomplete stereo frame at the end is dropped, not a crash.
    func testIncompleteFinalFrameIsDropped() throws {
        let (mono, monoReader) = try readThroughPipe(
            littleEndianBytes([Int16(100), 200, 300]) + [0x7F],
            format: .raw(sampleRate: 8000, encoding: .s16le, channels: 1),
            blockSize: 3, maxFrames: 2)
        XCTAssertEqual(mono, [100, 200, 300].map { Float($0) / 32768 })
        XCTAssertEqual(monoReader.droppedTrailingBytes, 1)

        let (stereo, stereoReader) = try readThroughPipe(
            littleEndianBytes([Float(0.5), 0.25, -0.5]) + [1, 2],
            format: .raw(sampleRate: 8000, encoding: .f32le, channels: 2), blockSize: 5, maxFrames: 8)
        XCTAssertEqual(stereo, [0.375])
        XCTAssertEqual(stereoReader.droppedTrailingBytes, 6)
    }

    func testRawNonFiniteSampleIsReported() throws {
        var values = [Float](repeating: 0.25, count: 100)
        values[73] = .nan
        let pipe = PipeWriter(bytes: littleEndianBytes(values), blockSize: 64)
        defer { pipe.finish() }
        let reader = try AudioStreamReader(
            fileDescriptor: pipe.readEnd, format: .raw(sampleRate: 16000, encoding: .f32le, channels: 1))
        XCTAssertEqual(try reader.read(maxFrames: 50)?.count, 50)
        XCTAssertThrowsError(try reader.read(maxFrames: 50)) { error in
            XCTAssertEqual(error as? AudioError, AudioError(path: "<stdin>", reason: .nonFiniteSample(index: 73)))
        }
    }

    func testEmptyStreamHasNoSamples() throws {
        let pipe = PipeWriter(bytes: [], blockSize: 1)
        defer { pipe.finish() }
        let reader = try AudioStreamReader(
            fileDescriptor: pipe.readEnd, format: .raw(sampleRate: 16000, encoding: .s16le, channels: 1))
        XCTAssertThrowsError(try reader.read(maxFrames: 10)) { error in
            XCTAssertEqual((error as? AudioError)?.description, "<stdin>: contains no audio samples (0 frames)")
        }
    }

    func testEmptyWAVStreamHasNoSamples() throws {
        let pipe = PipeWriter(bytes: [], blockSize: 1)
        defer { pipe.finish() }
        XCTAssertThrowsError(try AudioStreamReader(fileDescriptor: pipe.readEnd, format: .wav)) { error in
            XCTAssertEqual((error as? AudioError)?.description, "<stdin>: contains no audio samples (0 frames)")
        }
    }

    func testGarbageOnWAVStreamIsUnreadable() throws {
        let pipe = PipeWriter(bytes: Array(String(repeating: "not a wav file ", count: 100).utf8), blockSize: 50)
        defer { pipe.finish() }
        XCTAssertThrowsError(try AudioStreamReader(fileDescriptor: pipe.readEnd, format: .wav, name: "mic")) { error in
            guard let error = error as? AudioError, case .unreadable = error.reason else {
                return XCTFail("expected .unreadable, got \(error)")
            }
            XCTAssertTrue(
                error.description.hasPrefix("mic: not an audio file libsndfile can read ("), error.description)
        }
    }

    func testBadRawParameters() {
        XCTAssertThrowsError(
            try AudioStreamReader(fileDescriptor: 0, format: .raw(sampleRate: 100, encoding: .s16le, channels: 1))
        ) { error in
            XCTAssertEqual((error as? AudioError)?.reason, .unsupportedRate(100))
        }
        XCTAssertThrowsError(
            try AudioStreamReader(fileDescriptor: 0, format: .raw(sampleRate: 16000, encoding: .s16le, channels: 0))
        ) { error in
            XCTAssertEqual((error as? AudioError)?.path, "<stdin>")
        }
    }
}
