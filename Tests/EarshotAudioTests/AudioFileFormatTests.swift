import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// Every format the reader must decode, written with libsndfile and read back: values within the format's
/// quantisation error, channels mixed to mono by averaging, and `info` naming the format.
final class AudioFileFormatTests: XCTestCase {
    /// 0.2 s of noise at 16 kHz spanning full scale, with both extremes included.
    let signal = seededNoise(count: 3200, seed: 7, amplitude: 0.95) + [1, -1, 0, 0.5, -0.5]

    /// Round-trip bound for b-bit integer PCM through libsndfile: writing scales by 2^(b−1) − 1 and rounds,
    /// reading divides by 2^(b−1), so |read − x| ≤ |x|/2^(b−1) + 0.5/2^(b−1) ≤ 1.5 LSB for |x| ≤ 1.
    func pcmTolerance(bits: Int) -> Float { 1.5 / Float(1 << (bits - 1)) * 1.0001 }

    func roundTrip(_ format: SoundFileFormat, tolerance: Float, expectedName: String) throws {
        let path = try temporaryDirectory(self).appendingPathComponent("x").path
        try AudioFile.write(interleaved: signal, channels: 1, sampleRate: 16000, format: format, to: path)
        let info = try AudioFile.info(path: path)
        XCTAssertEqual(info, AudioInfo(sampleRate: 16000, channels: 1, frames: signal.count, format: expectedName))
        let read = try AudioFile.read(path: path)
        XCTAssertEqual(read.sampleRate, 16000)
        assertClose(read.samples, signal, tolerance: tolerance, expectedName)
        XCTAssertEqual(read.duration, Double(signal.count) / 16000, accuracy: 1e-12)
    }

    func testWAVPCM8() throws {
        try roundTrip(.wavPCMU8, tolerance: pcmTolerance(bits: 8), expectedName: "WAV PCM 8-bit unsigned")
    }

    func testWAVPCM16() throws {
        try roundTrip(.wavPCM16, tolerance: pcmTolerance(bits: 16), expectedName: "WAV PCM 16-bit")
    }

    func testWAVPCM24() throws {
        try roundTrip(.wavPCM24, tolerance: pcmTolerance(bits: 24), expectedName: "WAV PCM 24-bit")
    }

    /// 32-bit PCM holds more precision than a Float; the bound is Float rounding of the scaled value.
    func testWAVPCM32() throws {
        try roundTrip(.wavPCM32, tolerance: 2e-7, expectedName: "WAV PCM 32-bit")
    }

    func testWAVFloat32IsExact() throws {
        try roundTrip(.wavFloat, tolerance: 0, expectedName: "WAV float 32-bit")
    }

    func testWAVFloat64IsExact() throws {
        try roundTrip(.wavDouble, tolerance: 0, expectedName: "WAV float 64-bit")
    }

    func testFLAC16() throws {
        try roundTrip(.flac16, tolerance: pcmTolerance(bits: 16), expectedName: "FLAC 16-bit")
    }

    func testFLAC24() throws {
        try roundTrip(.flac24, tolerance: pcmTolerance(bits: 24), expectedName: "FLAC 24-bit")
    }

    /// Vorbis is lossy, so compare what survives perceptual coding: a 440 Hz tone's amplitude (within
    /// 0.5 dB) and phase (within 0.05 rad, i.e. no shift in time), and the residual ≥ 25 dB below the tone.
    func testOggVorbis() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("x.ogg").path
        let input = sine(frequency: 440, rate: 16000, count: 16000, amplitude: 0.5, phase: 0.3)
        try AudioFile.write(interleaved: input, channels: 1, sampleRate: 16000, format: .oggVorbis, to: path)
        XCTAssertEqual(try AudioFile.info(path: path).format, "OGG Vorbis")
        let read = try AudioFile.read(path: path)
        XCTAssertEqual(read.samples.count, input.count)
        let middle = 4000..<12000  // 220 whole periods
        let (amplitude, phase) = tone(in: read.samples, frequency: 440, rate: 16000, range: middle)
        XCTAssertEqual(decibels(amplitude / 0.5), 0, accuracy: 0.5)
        XCTAssertEqual(phase, 0.3, accuracy: 0.05)
        let residual = zip(read.samples, input).map { $0 - $1 }
        XCTAssertLessThan(decibels(rms(residual, middle) / rms(input, middle)), -25)
    }

    /// Left channel a tone, right channel a different one: mono is their mean, exactly for float files.
    func testStereoIsAveragedToMono() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("stereo.wav").path
        let left = sine(frequency: 300, rate: 8000, count: 4000)
        let right = sine(frequency: 1100, rate: 8000, count: 4000, amplitude: 0.25)
        let interleaved = zip(left, right).flatMap { [$0, $1] }
        try AudioFile.write(interleaved: interleaved, channels: 2, sampleRate: 8000, format: .wavFloat, to: path)
        XCTAssertEqual(try AudioFile.info(path: path).channels, 2)
        let read = try AudioFile.read(path: path)
        assertClose(read.samples, zip(left, right).map { ($0 + $1) * 0.5 }, tolerance: 1e-7, "stereo mixdown")
    }

    /// Four 16-bit channels with known constant levels: mono is their mean within 16-bit quantisation.
    func testFourChannelsAreAveraged() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("quad.flac").path
        let levels: [Float] = [0.5, -0.25, 0.125, 0.75]
        let interleaved = (0..<1000).flatMap { _ in levels }
        try AudioFile.write(interleaved: interleaved, channels: 4, sampleRate: 22050, format: .flac16, to: path)
        let read = try AudioFile.read(path: path)
        XCTAssertEqual(read.sampleRate, 22050)
        assertClose(read.samples, [Float](repeating: 0.28125, count: 1000), tolerance: pcmTolerance(bits: 16), "quad")
    }

    /// A WAV written byte by byte (not by libsndfile) decodes to value / 32768.
    func testHandWrittenWAV() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("hand.wav").path
        let values: [Int16] = [0, 1, -1, 16384, -16384, .max, .min, 1234]
        try writeBytes(wavFile(samples: values, sampleRate: 11025, channels: 1), to: path)
        let read = try AudioFile.read(path: path)
        XCTAssertEqual(read, AudioBuffer(samples: values.map { Float($0) / 32768 }, sampleRate: 11025))
    }

    /// The public writer: each encoding reads back within its quantisation error; files are replaced
    /// atomically and no temporary file is left behind.
    func testPublicWriteEncodings() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("out.wav").path
        let buffer = AudioBuffer(samples: signal, sampleRate: 16000)
        let cases: [(AudioFile.Encoding, Float, String)] = [
            (.pcm16, pcmTolerance(bits: 16), "WAV PCM 16-bit"),
            (.pcm24, pcmTolerance(bits: 24), "WAV PCM 24-bit"),
            (.float32, 0, "WAV float 32-bit"),
        ]
        for (encoding, tolerance, name) in cases {
            try AudioFile.write(buffer, to: path, encoding: encoding)  // replaces the previous round's file
            XCTAssertEqual(try AudioFile.info(path: path).format, name)
            assertClose(try AudioFile.read(path: path).samples, signal, tolerance: tolerance, "\(encoding)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(left, ["out.wav"], "temporary files left behind")
    }

    /// Integer encodings clip out-of-range samples instead of wrapping them round.
    func testWriteClipsInsteadOfWrapping() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("loud.wav").path
        try AudioFile.write(AudioBuffer(samples: [1.5, -3, 0.25], sampleRate: 16000), to: path)
        let read = try AudioFile.read(path: path).samples
        assertClose(read, [32767 / 32768, -1, 0.25], tolerance: pcmTolerance(bits: 16), "clipped")
    }

    /// `read(path:sampleRate:)` resamples when the rates differ and returns the file as is when they match.
    func testReadAtSampleRate() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("8k.wav").path
        let input = sine(frequency: 500, rate: 8000, count: 8000)
        try AudioFile.write(AudioBuffer(samples: input, sampleRate: 8000), to: path, encoding: .float32)
        let same = try AudioFile.read(path: path, sampleRate: 8000)
        XCTAssertEqual(same.samples, input)
        let up = try AudioFile.read(path: path, sampleRate: 16000)
        XCTAssertEqual(up.sampleRate, 16000)
        XCTAssertEqual(up.samples, Resampler.resample(input, from: 8000, to: 16000))
        XCTAssertEqual(up.duration, 1, accuracy: 1e-12)
    }
}
