import Earshot
import EarshotDecoding
import EarshotNN
import EarshotTestSupport
import XCTest

final class TranscriptionTests: XCTestCase {
    /// Speech bursts (noise) separated by silences: every cut falls in a silence, segments are at most
    /// the maximum and at least half of it, and together they are the whole signal, in order.
    func testSegmentsCutAtSilencesAndCoverTheSignal() {
        let rate = 1000
        var signal: [Float] = []
        var silences: [ClosedRange<Int>] = []
        for i in 0..<40 {
            signal += seededNoise(count: rate * (3 + i % 4) / 2, seed: UInt64(i), amplitude: 0.5)
            silences.append(signal.count...(signal.count + rate / 4 - 1))
            signal += [Float](repeating: 0, count: rate / 4)
        }
        var segmenter = AudioSegmenter(sampleRate: rate, maximumSeconds: 10)
        var segments: [AudioSegmenter.Segment] = []
        // Fed in uneven chunks, as a reader would.
        var position = 0, chunk = 333
        while position < signal.count {
            let end = min(position + chunk, signal.count)
            segments += segmenter.accept(Array(signal[position..<end]))
            position = end
            chunk = chunk * 7 % 1000 + 1
        }
        if let last = segmenter.finish() { segments.append(last) }
        XCTAssertEqual(segments.flatMap(\.samples), signal)
        var expectedStart = 0
        for (i, segment) in segments.enumerated() {
            XCTAssertEqual(segment.startSample, expectedStart)
            XCTAssertLessThanOrEqual(segment.samples.count, 10 * rate)
            if i < segments.count - 1 {
                XCTAssertGreaterThanOrEqual(segment.samples.count, 5 * rate)
                let cut = segment.startSample + segment.samples.count
                XCTAssertTrue(silences.contains { $0.contains(cut) }, "cut at \(cut) is not in a silence")
            }
            expectedStart += segment.samples.count
        }
    }

    /// Word times from the character alignment, confidence as the geometric mean of the characters'
    /// best posteriors.
    func testWordsFromAnAlignment() {
        let alphabet = Alphabet.english
        let v = alphabet.outputCount
        // Frames: h h i _ ␣ y o u → "hi you"; posteriors 0.9 for the emitted symbol, 0.5 for "y".
        let frameLabels = [9, 9, 10, 0, 1, 26, 16, 22]  // output 1 is the space, 2 is "a"
        var posteriors = [Float](repeating: log(0.01), count: frameLabels.count * v)
        for (t, label) in frameLabels.enumerated() { posteriors[t * v + label] = log(label == 26 ? 0.5 : 0.9) }
        let decoded = GreedyDecoder(alphabet: alphabet).decode(
            posteriors, frameCount: frameLabels.count, vocabularySize: v)
        XCTAssertEqual(decoded.text, "hi you")
        let words = posteriors.withUnsafeBufferPointer {
            WordAlignment.words(
                labels: decoded.labels, startFrames: decoded.startFrames, endFrames: decoded.endFrames,
                logProbabilities: $0, vocabularySize: v, alphabet: alphabet, secondsPerStep: 0.03, offset: 10)
        }
        XCTAssertEqual(words.map(\.text), ["hi", "you"])
        XCTAssertEqual(words[0].start, 10, accuracy: 1e-9)
        XCTAssertEqual(words[0].end, 10 + 3 * 0.03, accuracy: 1e-9)
        XCTAssertEqual(words[1].start, 10 + 5 * 0.03, accuracy: 1e-9)
        XCTAssertEqual(words[1].end, 10 + 8 * 0.03, accuracy: 1e-9)
        XCTAssertEqual(words[0].confidence, 0.9, accuracy: 1e-6)
        XCTAssertEqual(words[1].confidence, pow(0.5 * 0.9 * 0.9, 1.0 / 3), accuracy: 1e-6)
    }

    /// `TranscriptionOptions.latencyControl` decodes as a stream would: with chunks longer than the clip it
    /// is the whole-segment result (to rounding: the chunk's products are blocked differently, so
    /// confidences agree to 1e-6, not bit for bit); with short chunks the posteriors change (the reverse directions see
    /// less future) but stay the same length.
    func testLatencyControlledDecoding() throws {
        let samples = try TinyModel.samples("hello_world")
        let recognizer = try SpeechRecognizer(model: TinyModel.model)
        let whole = try recognizer.transcribe(samples: samples, sampleRate: 16000)
        var options = TranscriptionOptions()
        options.latencyControl = LatencyControl(chunkSteps: 1000, lookaheadSteps: 0)
        let oneChunk = try recognizer.transcribe(samples: samples, sampleRate: 16000, options: options)
        XCTAssertEqual(oneChunk.text, whole.text)
        XCTAssertEqual(oneChunk.segments.flatMap(\.words).map(\.end), whole.segments.flatMap(\.words).map(\.end))
        XCTAssertEqual(oneChunk.segments[0].confidence, whole.segments[0].confidence, accuracy: 1e-6)
        options.latencyControl = LatencyControl(chunkSteps: 4, lookaheadSteps: 1)
        let chunked = try recognizer.transcribe(samples: samples, sampleRate: 16000, options: options)
        XCTAssertEqual(chunked.duration, whole.duration)
        XCTAssertNotEqual(chunked.segments.map(\.confidence), whole.segments.map(\.confidence))
    }
}
