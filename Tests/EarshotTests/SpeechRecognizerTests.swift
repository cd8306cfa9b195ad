import Dispatch
import Earshot
import Foundation
import Testing

/// The app developer's API (`SpeechRecognizer`), with the shipped model and its language model, as the README
/// shows it.
@Suite struct SpeechRecognizerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let clips = ["earshot-espeak-16k.wav", "asterisk-vm-intro-8k.wav", "flite-slt-fox-16k.wav"].map {
        repository.appendingPathComponent("Audio/\($0)").path
    }

    /// The README's program, line for line (with `import Earshot` only): the shipped model found on its own,
    /// its language model with it, words with times and confidences, and a stream over the same weights.
    @Test func theReadmeProgram() throws {
        let earshot = try SpeechRecognizer.load()  // shipped model + its tuned LM, or .load(model: path)
        let transcript = try earshot.transcribe(file: Self.clips[2])
        for word in transcript.words { print(word.text, word.start, word.confidence) }
        let stream = try earshot.stream()  // per-stream state over the same weights

        #expect(earshot.decoding.languageModelPath?.hasSuffix("Models/earshot-en.arpa") == true)
        // "the quick brown fox jumps over the lazy dog near the river bank": the shipped model gets most of it.
        #expect(transcript.text.hasPrefix("the quick") && transcript.text.contains("over"))
        #expect(!transcript.words.isEmpty)
        for word in transcript.words {
            #expect(word.start < word.end && word.end <= transcript.duration + 0.01)
            #expect((0...1).contains(word.confidence))
        }
        // The stream, fed the clip in 100 ms blocks, hears it too (as one utterance; with 0.24 s of look-ahead
        // its letters differ a little from the whole file's).
        let samples = try AudioFile.read(path: Self.clips[2], sampleRate: earshot.sampleRate).samples
        var finals: [String] = []
        for start in stride(from: 0, to: samples.count, by: 1600) {
            let block = Array(samples[start..<min(start + 1600, samples.count)])
            finals += try stream.accept(samples: block).filter(\.isFinal).map(\.segment.text)
        }
        finals += try stream.finish().filter(\.isFinal).map(\.segment.text)
        #expect(finals.count == 1 && finals[0].hasPrefix("the qu") && finals[0].count >= 40, "\(finals)")
    }

    /// One recognizer shared by four threads, each transcribing every clip: every result equals the one
    /// transcription made alone (the model and the language model are read-only; buffers are per call).
    @Test func oneRecognizerServesSeveralThreads() throws {
        let earshot = try SpeechRecognizer.load()
        let alone = try Self.clips.map { try earshot.transcribe(file: $0) }
        let lock = NSLock()
        nonisolated(unsafe) var results = [[Transcript]](repeating: [], count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var options = TranscriptionOptions()
            options.schedule = .sequential
            let mine = Self.clips.compactMap { try? earshot.transcribe(file: $0, options: options) }
            lock.withLock { results[thread] = mine }
        }
        for transcripts in results { #expect(Self.same(transcripts, alone), "\(transcripts) against \(alone)") }
    }

    /// The buffers a call leaves for the next (`RecognizerPool`) carry nothing from one transcription to the
    /// next: each clip, transcribed again after the others, after a file that failed, after samples at another
    /// rate, and with other options in between, gives what a fresh recognizer gives it.
    @Test func reusedBuffersChangeNoTranscript() throws {
        let fresh = try Self.clips.map { try SpeechRecognizer.load().transcribe(file: $0) }
        let earshot = try SpeechRecognizer.load()
        var chunked = TranscriptionOptions()
        chunked.latencyControl = LatencyControl(chunkSteps: 8, lookaheadSteps: 8)
        for _ in 0..<2 {
            for (clip, expected) in zip(Self.clips, fresh) {
                #expect(throws: (any Error).self) { try earshot.transcribe(file: clip + ".missing") }
                _ = try earshot.transcribe(samples: [Float](repeating: 0.01, count: 8000), sampleRate: 8000)
                _ = try earshot.transcribe(file: clip, options: chunked)
                let again = try earshot.transcribe(file: clip)
                #expect(Self.same([again], [expected]), "\(again) against \(expected)")
            }
        }
    }

    /// Decoding options are checked where they are made into a recognizer: a value that cannot work is an
    /// error naming it, never a trap.
    @Test func badDecodingOptionsAreErrors() throws {
        let model = try AcousticModel.load(
            path: Self.repository.appendingPathComponent("Models/earshot-en.safetensors").path)
        var zeroBeam = DecodingOptions()
        zeroBeam.beamWidth = 0
        var greedyWithLM = DecodingOptions.greedyDecoding
        greedyWithLM.languageModel = .arpa(path: "x.arpa")
        var badAlpha = DecodingOptions()
        badAlpha.alpha = -1
        for options in [zeroBeam, greedyWithLM, badAlpha] {
            #expect(throws: DecodingOptionsError.self) { try SpeechRecognizer(model: model, decoding: options) }
        }
        var missing = DecodingOptions()
        missing.languageModel = .arpa(path: "/nonexistent/lm.arpa")
        #expect(throws: (any Error).self) { try SpeechRecognizer(model: model, decoding: missing) }
        var badSegment = TranscriptionOptions()
        badSegment.segmentSeconds = 0
        let recognizer = try SpeechRecognizer(model: model, decoding: .greedyDecoding)
        #expect(throws: TranscriptionOptionsError.self) {
            try recognizer.transcribe(file: Self.clips[0], options: badSegment)
        }
    }

    /// Whether the transcripts say the same: the same text, segments and words at the same times, confidences
    /// within 1e-5. Not bit for bit: OpenBLAS 0.3.21's Haswell kernels (which it also picks for CPUs it does
    /// not know, such as Zen 5) round a product differently as it is split among threads, and the thread count
    /// is process-wide (a concurrent schedule sets it to 1 while it runs; other tests run beside these), so the
    /// last bits of the float32 log-probabilities depend on what else the process does. Measured: confidences
    /// differ by up to 3e-7 with 2 OpenBLAS threads on Haswell kernels; with 1 thread or SkylakeX kernels, not at all.
    static func same(_ a: [Transcript], _ b: [Transcript]) -> Bool {
        func close(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 1e-5 }
        return a.count == b.count
            && zip(a, b).allSatisfy { a, b in
                a.duration == b.duration && a.segments.count == b.segments.count
                    && zip(a.segments, b.segments).allSatisfy { x, y in
                        x.start == y.start && x.end == y.end && x.text == y.text && close(x.confidence, y.confidence)
                            && x.alternatives?.map(\.text) == y.alternatives?.map(\.text)
                            && x.words.count == y.words.count
                            && zip(x.words, y.words).allSatisfy { v, w in
                                v.text == w.text && v.start == w.start && v.end == w.end
                                    && close(v.confidence, w.confidence)
                            }
                    }
            }
    }

    /// Audio from a descriptor (`AudioStreamReader`: standard input, a pipe, here a file read as a stream) gives
    /// the transcript its file gives; so does an open `AudioFileReader`.
    @Test func aStreamSourceTranscribesAsItsFile() throws {
        let recognizer = try SpeechRecognizer.load()
        for clip in Self.clips {
            let file = try recognizer.transcribe(file: clip)
            let descriptor = open(clip, O_RDONLY)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            let stream = try recognizer.transcribe(
                source: AudioStreamReader(fileDescriptor: descriptor, format: .wav, name: "clip"))
            #expect(stream.text == file.text && stream.duration == file.duration, "\(clip)")
            #expect(stream.words.map(\.start) == file.words.map(\.start))
            let reader = try recognizer.transcribe(source: AudioFileReader(path: clip))
            #expect(reader.text == file.text, "\(clip)")
        }
    }
}
