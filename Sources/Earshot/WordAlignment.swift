import EarshotDecoding
import Foundation

/// Words, their times and confidences from a CTC alignment: the characters a decoder emitted with the
/// frame span of each, and the frame posteriors.
///
/// Times: a word starts at the first frame of its first character and ends at the end of the span of its
/// last character, in model steps of `secondsPerStep` (0.03 s), offset by the segment's start.
/// Confidence: for each character, the highest posterior probability it has over its frame span; a
/// word's confidence is the geometric mean over its characters — one doubtful letter lowers it, but a
/// long word is not punished for its length.
public enum WordAlignment {
    /// - Parameters:
    ///   - labels: emitted output indices (no blanks), space = word boundary.
    ///   - startFrames: per label, its first frame.
    ///   - endFrames: per label, one past its last frame.
    ///   - logProbabilities: (T, V) row-major.
    ///   - v: the vocabulary size V.
    ///   - alphabet: maps `labels` to characters.
    ///   - secondsPerStep: the duration of one frame (model step).
    ///   - offset: the segment's start in seconds, added to every time.
    public static func words(
        labels: [Int], startFrames: [Int], endFrames: [Int], logProbabilities: UnsafeBufferPointer<Float>,
        vocabularySize v: Int, alphabet: Alphabet, secondsPerStep: Double, offset: Double
    ) -> [TranscribedWord] {
        var words: [TranscribedWord] = []
        var text = "", start = 0, end = 0, logConfidence = 0.0, count = 0
        func flush() {
            guard !text.isEmpty else { return }
            words.append(
                TranscribedWord(
                    text: text, start: offset + Double(start) * secondsPerStep,
                    end: offset + Double(end) * secondsPerStep,
                    confidence: exp(logConfidence / Double(max(count, 1)))))
            text = ""
            logConfidence = 0
            count = 0
        }
        for (i, label) in labels.enumerated() {
            let character = alphabet.decode([label])
            if character == " " {
                flush()
                continue
            }
            if text.isEmpty { start = startFrames[i] }
            end = max(endFrames[i], startFrames[i] + 1)
            text += character
            var best = -Float.infinity
            for frame in startFrames[i]..<end where frame * v + label < logProbabilities.count {
                best = max(best, logProbabilities[frame * v + label])
            }
            logConfidence += Double(best.isFinite ? best : -30)
            count += 1
        }
        flush()
        return words
    }
}
