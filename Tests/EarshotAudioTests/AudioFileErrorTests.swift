import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// Each way a file can be bad gives its own `AudioError.Reason` and a one-line message naming the file.
final class AudioFileErrorTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Asserts `body` throws an `AudioError` for `path` with `reason`, whose message starts with the path
    /// and contains `words`.
    func assertFails<T>(
        _ body: @autoclosure () throws -> T, path: String, reason: AudioError.Reason, words: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try body()
            XCTFail("expected \(reason), got success", file: file, line: line)
        } catch let error as AudioError {
            XCTAssertEqual(error.reason, reason, file: file, line: line)
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(words), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "message must be one line", file: file, line: line)
        } catch {
            XCTFail("expected AudioError, got \(error)", file: file, line: line)
        }
    }

    func testMissingFile() {
        let missing = path("nope.wav")
        assertFails(try AudioFile.read(path: missing), path: missing, reason: .notFound, words: "no such file")
        assertFails(try AudioFile.info(path: missing), path: missing, reason: .notFound, words: "no such file")
        let underFile = path("nope.wav/x.wav")  // ENOTDIR is "not found" too
        assertFails(try AudioFile.read(path: underFile), path: underFile, reason: .notFound, words: "no such file")
    }

    func testDirectory() {
        let dir = directory.path
        assertFails(try AudioFile.read(path: dir), path: dir, reason: .isDirectory, words: "is a directory")
    }

    func testEmptyFile() throws {
        let empty = path("empty.wav")
        try writeBytes([], to: empty)
        assertFails(try AudioFile.read(path: empty), path: empty, reason: .empty, words: "empty")
    }

    func testTextFileNamedWAV() throws {
        let text = path("notes.wav")
        try writeBytes(Array("This is not audio, just a text file.\n".utf8), to: text)
        assertFails(
            try AudioFile.read(path: text), path: text, reason: .unreadable("Format not recognised."),
            words: "not an audio file libsndfile can read")
    }

    /// A WAV cut short: the header promises 1000 frames, the file holds 300. libsndfile alone would
    /// silently return 300.
    func testTruncatedWAV() throws {
        let cut = path("cut.wav")
        let values = (0..<1000).map { Int16($0) }
        try writeBytes(Array(wavFile(samples: values, sampleRate: 16000, channels: 1).prefix(44 + 600)), to: cut)
        assertFails(
            try AudioFile.read(path: cut), path: cut, reason: .truncated(expectedFrames: 1000, actualFrames: 300),
            words: "truncated")
    }

    /// The same for a WAV written by libsndfile (whose header may hold more chunks) cut in the middle of a frame.
    func testTruncatedLibsndfileWAV() throws {
        let cut = path("cut24.wav")
        let stereo = seededNoise(count: 2 * 500, seed: 3)
        try AudioFile.write(interleaved: stereo, channels: 2, sampleRate: 16000, format: .wavPCM24, to: cut)
        let size = try FileManager.default.attributesOfItem(atPath: cut)[.size] as! Int
        XCTAssertEqual(truncate(cut, off_t(size - 6 * 200 - 2)), 0)  // 200 frames and 2 bytes of another
        assertFails(
            try AudioFile.read(path: cut), path: cut, reason: .truncated(expectedFrames: 500, actualFrames: 299),
            words: "promises 500 frames but it holds only 299")
    }

    /// A FLAC cut short: its header keeps the full length, libsndfile stops early without an error.
    func testTruncatedFLAC() throws {
        let cut = path("cut.flac")
        try AudioFile.write(
            interleaved: seededNoise(count: 32000, seed: 5), channels: 1, sampleRate: 16000, format: .flac16, to: cut)
        let size = try FileManager.default.attributesOfItem(atPath: cut)[.size] as! Int
        XCTAssertEqual(truncate(cut, off_t(size / 2)), 0)
        // (`catch let error as AudioError` here crashes Swift 6.3.1's SILGen: the body throws typed errors.)
        do {
            _ = try AudioFile.read(path: cut)
            XCTFail("a truncated FLAC was read without complaint")
        } catch {
            if case .truncated(let expected, let actual) = error.reason {
                XCTAssertEqual(expected, 32000)
                XCTAssertLessThan(actual, 32000)
            } else {
                XCTFail("expected .truncated, got \(error)")
            }
            XCTAssertTrue(error.description.hasPrefix(cut + ": file is truncated"), error.description)
        }
    }

    func testValidWAVWithNoFrames() throws {
        let silent = path("zero.wav")
        try AudioFile.write(interleaved: [], channels: 1, sampleRate: 16000, format: .wavPCM16, to: silent)
        XCTAssertEqual(try AudioFile.info(path: silent).frames, 0)
        assertFails(try AudioFile.read(path: silent), path: silent, reason: .noSamples, words: "no audio samples")
    }

    func testNaNAndInfinityInFloatWAV() throws {
        let nan = path("nan.wav")
        var samples = [Float](repeating: 0.1, count: 100)
        samples[5] = .nan
        try AudioFile.write(interleaved: samples, channels: 1, sampleRate: 16000, format: .wavFloat, to: nan)
        assertFails(try AudioFile.read(path: nan), path: nan, reason: .nonFiniteSample(index: 5), words: "sample 5")

        let inf = path("inf.wav")
        samples[5] = 0
        samples[2 * 37 + 1] = -.infinity  // frame 37, right channel of a stereo file
        try AudioFile.write(interleaved: samples, channels: 2, sampleRate: 16000, format: .wavFloat, to: inf)
        assertFails(
            try AudioFile.read(path: inf), path: inf, reason: .nonFiniteSample(index: 37), words: "not a finite number")
    }

    func testUnsupportedRates() throws {
        let slow = path("slow.wav")
        try writeBytes(wavFile(samples: [1, 2, 3], sampleRate: 999, channels: 1), to: slow)
        assertFails(try AudioFile.read(path: slow), path: slow, reason: .unsupportedRate(999), words: "999 Hz")
        XCTAssertEqual(try AudioFile.info(path: slow).sampleRate, 999, "info reports what the header says")

        let fast = path("fast.wav")
        try writeBytes(wavFile(samples: [1, 2, 3], sampleRate: 384_001, channels: 1), to: fast)
        assertFails(try AudioFile.read(path: fast), path: fast, reason: .unsupportedRate(384_001), words: "1000…384000")

        let fine = path("fine.wav")
        try writeBytes(wavFile(samples: [1, 2, 3], sampleRate: 8000, channels: 1), to: fine)
        assertFails(
            try AudioFile.read(path: fine, sampleRate: 100), path: fine, reason: .unsupportedRate(100),
            words: "100 Hz")
    }

    func testWriteRejectsBadInput() throws {
        let out = path("out.wav")
        assertFails(
            try AudioFile.write(AudioBuffer(samples: [0, .nan], sampleRate: 16000), to: out), path: out,
            reason: .nonFiniteSample(index: 1), words: "sample 1")
        assertFails(
            try AudioFile.write(AudioBuffer(samples: [0], sampleRate: 500), to: out), path: out,
            reason: .unsupportedRate(500), words: "500 Hz")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])

        let nowhere = path("missing-dir/out.wav")
        do {
            try AudioFile.write(AudioBuffer(samples: [0], sampleRate: 16000), to: nowhere)
            XCTFail("wrote into a missing directory")
        } catch {
            guard case .ioError = error.reason else { return XCTFail("expected .ioError, got \(error)") }
            XCTAssertTrue(error.description.hasPrefix(nowhere + ": I/O error"), error.description)
        }
    }

    /// The messages as a user sees them.
    func testDescriptions() {
        let cases: [(AudioError.Reason, String)] = [
            (.notFound, "a.wav: no such file"),
            (.isDirectory, "a.wav: is a directory, not an audio file"),
            (.empty, "a.wav: file is empty (0 bytes)"),
            (
                .unreadable("Format not recognised."),
                "a.wav: not an audio file libsndfile can read (Format not recognised.)"
            ),
            (
                .truncated(expectedFrames: 10, actualFrames: 4),
                "a.wav: file is truncated: its header promises 10 frames but it holds only 4"
            ),
            (.noSamples, "a.wav: contains no audio samples (0 frames)"),
            (.unsupportedRate(50), "a.wav: unsupported sample rate 50 Hz (supported: 1000…384000 Hz)"),
            (.nonFiniteSample(index: 3), "a.wav: sample 3 is not a finite number (NaN or infinity)"),
            (.ioError("No space left on device"), "a.wav: I/O error: No space left on device"),
        ]
        for (reason, message) in cases {
            XCTAssertEqual(AudioError(path: "a.wav", reason: reason).description, message)
        }
    }
}
