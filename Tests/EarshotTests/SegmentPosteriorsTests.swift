import Earshot
import Foundation
import Testing

/// `SpeechRecognizer.transcribe(…, posteriors:)`: what the model heard, segment by segment, is what the
/// decoder decoded.
@Suite struct SegmentPosteriorsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let model = repository.appendingPathComponent("Tests/EarshotCLITests/Fixtures/tiny-model.safetensors").path
    static let clip = repository.appendingPathComponent("Tests/EarshotTrainingTests/Fixtures/clips/open_the_door.wav")
        .path

    /// Each step's probabilities sum to 1, the steps cover the audio, and the best path through them is the
    /// greedy transcript; the file and the samples paths give the same posteriors.
    @Test func posteriorsAreWhatTheGreedyDecoderDecoded() throws {
        var decoding = DecodingOptions()
        decoding.greedy = true
        let recognizer = try SpeechRecognizer.load(model: Self.model, decoding: decoding)
        var segments: [SegmentPosteriors] = []
        let transcript = try recognizer.transcribe(file: Self.clip, posteriors: { segments.append($0) })
        #expect(transcript.text == "open the door")
        let segment = try #require(segments.first)
        #expect(segments.count == 1)
        #expect(segment.start == 0)
        #expect(segment.outputCount == recognizer.model.config.alphabet.outputCount)
        #expect(segment.secondsPerStep == recognizer.model.config.secondsPerStep)
        #expect(abs(segment.end - transcript.duration) <= 2 * segment.secondsPerStep)
        var bestPath: [Int] = []
        for step in 0..<segment.stepCount {
            let probabilities = (0..<segment.outputCount).map { exp(segment.logProbability(step: step, output: $0)) }
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4, "step \(step)")
            bestPath.append(probabilities.indices.max { probabilities[$0] < probabilities[$1] }!)
        }
        // Collapse repeats, drop blanks: the greedy decoder's rule.
        let labels = bestPath.enumerated().filter { $0.offset == 0 || $0.element != bestPath[$0.offset - 1] }
            .map(\.element).filter { $0 != Alphabet.blank }
        #expect(recognizer.model.config.alphabet.decode(labels) == transcript.text)

        let audio = try AudioFile.read(path: Self.clip, sampleRate: recognizer.sampleRate)
        var fromSamples: [SegmentPosteriors] = []
        _ = try recognizer.transcribe(samples: audio.samples, sampleRate: audio.sampleRate) { fromSamples.append($0) }
        #expect(fromSamples == segments)
    }

    /// Latency control changes the posteriors the decoder gets (the reverse directions see only their chunk
    /// and look-ahead), keeping their shape.
    @Test func chunkedRunsGiveTheirOwnPosteriors() throws {
        let recognizer = try SpeechRecognizer.load(model: Self.model, decoding: DecodingOptions())
        var whole: [SegmentPosteriors] = [], chunked: [SegmentPosteriors] = []
        _ = try recognizer.transcribe(file: Self.clip, posteriors: { whole.append($0) })
        var options = TranscriptionOptions()
        options.latencyControl = LatencyControl(chunkSteps: 4, lookaheadSteps: 0)
        _ = try recognizer.transcribe(file: Self.clip, options: options, posteriors: { chunked.append($0) })
        #expect(whole.map(\.stepCount) == chunked.map(\.stepCount))
        #expect(whole != chunked)
    }
}
