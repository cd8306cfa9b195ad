import EarshotDecoding

/// Turns a segment's log-probabilities into a `TranscriptSegment`: beam search (with the language model
/// and hotwords, if any) or greedy decoding, then words with times and confidences. Shared by the offline
/// `Recognizer` and the `StreamRecognizer`, so both decode alike. Owns a beam workspace: one per thread.
final class SegmentDecoder {
    private let alphabet: Alphabet
    private let secondsPerStep: Double
    private let greedy: GreedyDecoder
    private let beamSearch: BeamSearchDecoder?
    private let beamWorkspace = BeamSearchDecoder.Workspace()

    init(config: AcousticModelConfig, decoding: ResolvedDecoding) throws {
        alphabet = config.alphabet
        secondsPerStep = config.secondsPerStep
        greedy = GreedyDecoder(alphabet: config.alphabet)
        beamSearch = decoding.beamSearchDecoder
        if let beamSearch, beamSearch.alphabet != config.alphabet {
            throw DecodingOptionsError.invalid("the decoding was prepared for another alphabet than the model's")
        }
    }

    /// Decodes (steps, V) log-probabilities of a segment that starts `start` seconds into the audio and
    /// lasts `duration` seconds (nil: until its last word).
    func decode(_ scores: UnsafeBufferPointer<Float>, steps: Int, start: Double, duration: Double?) -> TranscriptSegment
    {
        let v = alphabet.outputCount
        // The emitted characters with their frame spans, from beam search or the best path.
        var labels: [Int], starts: [Int], ends: [Int]
        var alternatives: [TranscriptSegment.Alternative]?
        if let beamSearch {
            let result = beamSearch.decode(scores, frameCount: steps, vocabularySize: v, workspace: beamWorkspace)
            labels = result.best.labels
            starts = result.best.frames
            // Beam search reports one frame per character: the character spans that frame.
            ends = starts.map { $0 + 1 }
            if beamSearch.options.nBest > 1 {
                alternatives = result.hypotheses.map { .init(text: $0.text, score: Double($0.score)) }
            }
        } else {
            let decoded = greedy.decode(scores, frameCount: steps, vocabularySize: v)
            (labels, starts, ends) = (decoded.labels, decoded.startFrames, decoded.endFrames)
        }
        let words = WordAlignment.words(
            labels: labels, startFrames: starts, endFrames: ends, logProbabilities: scores, vocabularySize: v,
            alphabet: alphabet, secondsPerStep: secondsPerStep, offset: start)
        let letters = words.reduce(0) { $0 + $1.text.count }
        let confidence =
            letters == 0
            ? 1 : words.reduce(0.0) { $0 + $1.confidence * Double($1.text.count) } / Double(letters)
        let end = duration.map { start + $0 } ?? (words.last?.end ?? start + Double(steps) * secondsPerStep)
        return TranscriptSegment(
            start: start, end: end, text: words.map(\.text).joined(separator: " "), words: words,
            confidence: confidence, alternatives: alternatives)
    }
}
