/// Greedy (best-path) CTC decoding: the most likely output at each frame, repeats collapsed, blanks
/// dropped.
///
/// Frame t's output is argmax_v logp[t, v]; a run of equal outputs counts once, and a blank between two
/// equal outputs separates them (`a a _ a` → `aa`), as the CTC collapse rule 𝓑 says. Ties go to the lower
/// index (as `numpy.argmax` and `torch.argmax` do); a NaN is never the maximum, so a row of NaNs is a
/// blank. The decoder needs only the order of each row's values, so probabilities, log-probabilities or
/// logits all give the same result.
public struct GreedyDecoder: Sendable, Equatable {
    /// Maps outputs to characters; output 0 is the blank.
    public var alphabet: Alphabet

    public init(alphabet: Alphabet = .english) {
        self.alphabet = alphabet
    }

    /// Decodes one sequence.
    /// - Parameters:
    ///   - logProbabilities: (T, V) row-major, V = `alphabet.outputCount`.
    ///   - frameCount: T, the model's time steps.
    ///   - vocabularySize: V.
    /// - Precondition: `logProbabilities.count == frameCount * vocabularySize` and V equals
    ///   `alphabet.outputCount`.
    public func decode(_ logProbabilities: UnsafeBufferPointer<Float>, frameCount: Int, vocabularySize: Int)
        -> GreedyDecoding
    {
        alphabet.checkPosteriors(count: logProbabilities.count, frameCount: frameCount, vocabularySize: vocabularySize)
        var labels: [Int] = [], starts: [Int] = [], ends: [Int] = []
        // Worst case one label per frame; reserving once keeps the frame loop free of allocation.
        labels.reserveCapacity(frameCount)
        starts.reserveCapacity(frameCount)
        ends.reserveCapacity(frameCount)

        guard let base = logProbabilities.baseAddress else {
            return GreedyDecoding(labels: [], startFrames: [], endFrames: [], text: "")
        }
        var previous = Alphabet.blank
        for t in 0..<frameCount {
            let row = base + t * vocabularySize  // (V)
            var best = -Float.infinity, bestIndex = 0
            for v in 0..<vocabularySize where row[v] > best {
                best = row[v]
                bestIndex = v
            }
            if bestIndex != Alphabet.blank {
                if bestIndex != previous {
                    labels.append(bestIndex)
                    starts.append(t)
                    ends.append(t + 1)
                } else {
                    ends[ends.count - 1] = t + 1
                }
            }
            previous = bestIndex
        }
        return GreedyDecoding(labels: labels, startFrames: starts, endFrames: ends, text: alphabet.decode(labels))
    }

    /// Decodes one sequence held in an array, (T, V) row-major; see the buffer version.
    public func decode(_ logProbabilities: [Float], frameCount: Int, vocabularySize: Int) -> GreedyDecoding {
        logProbabilities.withUnsafeBufferPointer {
            decode($0, frameCount: frameCount, vocabularySize: vocabularySize)
        }
    }
}

/// What `GreedyDecoder` found in one sequence: one entry per output character, in order.
public struct GreedyDecoding: Sendable, Equatable {
    /// Alphabet outputs (1…V−1; never the blank).
    public var labels: [Int]
    /// For each label, the frame where its run of frames starts: a frame index, in model steps (multiply by
    /// the model's seconds per step for a time).
    public var startFrames: [Int]
    /// For each label, one past the last frame of its run (so a label occupied `startFrames[i]..<endFrames[i]`).
    public var endFrames: [Int]
    /// The characters of `labels`.
    public var text: String

    public init(labels: [Int], startFrames: [Int], endFrames: [Int], text: String) {
        self.labels = labels
        self.startFrames = startFrames
        self.endFrames = endFrames
        self.text = text
    }
}
