import EarshotTestSupport
import Foundation
import Testing

@testable import EarshotAudio

/// A path that names a pipe — a named pipe (`mkfifo`) or process substitution (`<(cat clip.wav)`) — can be
/// read once only: `AudioFileReader` opens it once, reads what arrives, and still reports a WAV that ends
/// before the frames its header declares.
@Suite struct AudioFilePipeTests {
    /// 0.5 s of noise at 16 kHz, and its WAV file's bytes (16-bit; small enough to fit in a pipe at once).
    static let samples = seededNoise(count: 8000, seed: 5, amplitude: 0.5)
    static let wav = WAVBytes.pcm16(samples, sampleRate: 16000)
    /// What the samples read back as (16-bit quantised).
    static let quantised = samples.map { ($0 * 32768).rounded() / 32768 }

    /// Reads the file at `path` with `AudioFile.read` on another thread; nil if it has not finished after
    /// `seconds` (a reader stuck opening the path again), after `source.finish()` has let it go.
    static func read(_ path: String, feeding source: PipeSource, within seconds: Double = 20) -> Result<
        AudioBuffer, AudioError
    >? {
        nonisolated(unsafe) var result: Result<AudioBuffer, AudioError>?
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            result = Result { () throws(AudioError) in try AudioFile.read(path: path) }
            done.signal()
        }
        let finished = done.wait(timeout: .now() + seconds) == .success
        source.finish()
        if !finished { done.wait() }
        return finished ? result : nil
    }

    /// The writer closes the pipe as soon as it has written everything: a second open of the path would wait
    /// for a writer that never comes.
    @Test func aNamedPipeIsReadWithoutOpeningItAgain() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("clip.fifo").path
            let source = try PipeSource.namedPipe(at: path, bytes: Self.wav)
            let result = try #require(Self.read(path, feeding: source), "reading the named pipe hung")
            #expect(try result.get().samples == Self.quantised)
        }
    }

    @Test func processSubstitutionIsRead() throws {
        let source = try PipeSource.processSubstitution(bytes: Self.wav)
        let result = try #require(Self.read(source.path, feeding: source), "reading the pipe hung")
        #expect(try result.get().samples == Self.quantised)
    }

    /// On a pipe the file's size is unknown, so the header cannot be checked against it up front; the frames
    /// that arrived are counted against the header at the end instead.
    @Test func aTruncatedWAVFromAPipeIsReportedAtTheEnd() throws {
        let cut = Self.wav.prefix(44 + 2 * 5000)  // the 44-byte header, then 5000 of the 8000 frames
        let source = try PipeSource.processSubstitution(bytes: cut)
        let result = try #require(Self.read(source.path, feeding: source), "reading the pipe hung")
        #expect(throws: AudioError(path: source.path, reason: .truncated(expectedFrames: 8000, actualFrames: 5000))) {
            try result.get().samples.count
        }
    }

    /// Writers that stream a WAV cannot know its length and put a placeholder in the `data` size: 0xFFFFFFFF
    /// (ffmpeg), 0x7FFFF000 (sox). That is not a promise of frames: everything that arrives is read.
    @Test(arguments: [UInt32(0xFFFF_FFFF), 0x7FFF_F000])
    func aStreamingWritersPlaceholderLengthIsNotAPromise(_ placeholder: UInt32) throws {
        var bytes = Self.wav
        bytes.replaceSubrange(40..<44, with: withUnsafeBytes(of: placeholder.littleEndian) { Data($0) })
        let source = try PipeSource.processSubstitution(bytes: bytes)
        let result = try #require(Self.read(source.path, feeding: source), "reading the pipe hung")
        #expect(try result.get().samples == Self.quantised)
    }

    /// A WAV that ends inside the header of a chunk before `data` (a `LIST` id after `fmt `): libsndfile, opening
    /// the path itself, would loop for ever on the pipe (FUZZING.md, finding 6); the path is read as a stream.
    @Test func aWAVCutInsideAChunkHeaderIsAnError() throws {
        let cut = Self.wav.prefix(36) + Data("LIST".utf8)  // RIFF, WAVE and the fmt chunk, then a chunk id
        let source = try PipeSource.processSubstitution(bytes: cut)
        let result = try #require(Self.read(source.path, feeding: source), "reading the pipe hung")
        #expect(throws: AudioError.self) { try result.get() }
        guard case .failure(let error) = result, case .streamHeader = error.reason else {
            Issue.record("expected .streamHeader, got \(result)")
            return
        }
        #expect(error.path == source.path)
    }

    @Test func anEmptyPipeHasNoSamples() throws {
        let source = try PipeSource.processSubstitution(bytes: Data())
        let result = try #require(Self.read(source.path, feeding: source), "reading the pipe hung")
        #expect(throws: AudioError(path: source.path, reason: .noSamples)) { try result.get() }
    }
}
