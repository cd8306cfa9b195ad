import Foundation

/// CTC prefix beam search (Hannun et al. 2014, "First-pass large vocabulary continuous speech recognition using
/// bi-directional recurrent DNNs"; the recursion of pyctcdecode and of flashlight's lexicon-free decoder), with an
/// optional word language model and hotwords.
///
/// A hypothesis is a prefix ℓ (collapsed labels) with two scores: p_b(ℓ), the probability of the frames so far
/// over alignments of ℓ that end in a blank, and p_nb(ℓ), those that end in ℓ's last label. For frame t with
/// log-probabilities y (all in log space; ⊕ is log-sum-exp):
///
///     p_b'(ℓ)   ⊕= (p_b(ℓ) ⊕ p_nb(ℓ)) + y[blank]                  the blank keeps the prefix
///     p_nb'(ℓ)  ⊕= p_nb(ℓ) + y[last(ℓ)]                             a repeat collapses into the last label
///     p_nb'(ℓc) ⊕= p_b(ℓ) + y[c]           if c = last(ℓ)           a repeat after a blank is a new label
///     p_nb'(ℓc) ⊕= (p_b(ℓ) ⊕ p_nb(ℓ)) + y[c]   otherwise
///
/// and the `beamWidth` prefixes with the best p_b ⊕ p_nb + (language model and hotword score of the prefix)
/// are kept. Every prefix is a node of a trie (parent pointer + label); a hash from (parent, label) to child
/// makes the same prefix the same node, so extensions that reach a prefix already in the beam merge into it.
/// Pruning (`BeamSearchOptions`) limits which symbols may start new prefixes (`pruneThreshold`, `topK`), skips
/// the extensions of near-certain blank frames (`blankSkipThreshold`), and drops hypotheses far below the best
/// (`beamThreshold`); the blank and repeat terms are always applied, since they create no prefix.
///
/// With a `LanguageModel`, each word a prefix completes (at a space, and at the end) adds α · ln P(word |
/// history) + β; the partial word is followed in a trie of the model's vocabulary, and `unknownWordPenalty` is
/// added once when it stops being a prefix of any vocabulary word (or hotword), or ends as a word outside the
/// vocabulary. `Hotwords` add their per-character bonus (see there). At the end, hypotheses whose texts are
/// equal once leading, trailing and repeated spaces are dropped are merged (acoustic scores ⊕), and the
/// `nBest` best are returned.
///
/// The decoder is immutable and `Sendable`; the mutable memory of a search is a `Workspace`, one per thread.
public struct BeamSearchDecoder: Sendable {
    /// Maps outputs to characters; output 0 is the blank, and `" "` (if present) separates words.
    public let alphabet: Alphabet
    public let options: BeamSearchOptions
    public let languageModel: (any LanguageModel)?
    public private(set) var hotwords: Hotwords
    /// The language model's vocabulary spelled in `alphabet`; values are the model's word ids.
    let vocabularyTrie: WordTrie
    /// The label of the word separator (space), or −1 when the alphabet has none (then there are no words:
    /// the language model scores only the whole utterance as one word at the end).
    let separator: Int
    /// Whether there is a language model / are hotwords (read in the hot loop; an optional existential is
    /// slow to test).
    let hasLanguageModel: Bool
    private(set) var hasHotwords: Bool
    /// Upper bounds of how much one label can raise a prefix's language-model + hotword score (used to drop
    /// hopeless candidates before computing their state): a held hotword bonus grows by at most the largest
    /// boost per character (settling adds at most `Hotwords.maxSettleGain`, see `scoreBound`); a completed word
    /// adds α · ln P + β ≤ β (α ≥ 0, ln P ≤ 0, penalties ≤ 0), only at a separator.
    private(set) var maxBoost: Float
    let maxWordGain: Float

    /// - Throws: `BeamSearchOptionsError` for options out of range, or when `hotwords` was built for another
    ///   alphabet; `AlphabetError` for an alphabet no model can have (more than 255 characters: prefixes are
    ///   keyed by 8-bit labels).
    public init(
        alphabet: Alphabet = .english, options: BeamSearchOptions = BeamSearchOptions(),
        languageModel: (any LanguageModel)? = nil, hotwords: Hotwords = .none
    ) throws {
        try options.validate()
        try alphabet.validate()
        if !hotwords.isEmpty && hotwords.alphabet != alphabet {
            throw BeamSearchOptionsError(message: "the hotwords were built for another alphabet")
        }
        self.alphabet = alphabet
        self.options = options
        self.languageModel = languageModel
        self.hotwords = hotwords
        self.separator = alphabet.index(of: " ") ?? -1
        self.hasLanguageModel = languageModel != nil
        self.hasHotwords = !hotwords.isEmpty
        self.maxBoost = hotwords.isEmpty ? 0 : hotwords.maxBoost
        self.maxWordGain = languageModel != nil ? max(0, options.wordBonus) : 0
        if let languageModel {
            vocabularyTrie = WordTrie(words: languageModel.vocabulary, alphabet: alphabet)
        } else {
            vocabularyTrie = WordTrie(words: [])
        }
    }

    /// The same decoder with other hotwords: the language model and its vocabulary trie are shared, not rebuilt
    /// (building the trie of a large vocabulary takes tens of milliseconds; compiling hotwords, microseconds), so
    /// a server can give each request its own hotwords.
    /// - Throws: `BeamSearchOptionsError` when `hotwords` were built for another alphabet.
    public func replacingHotwords(_ hotwords: Hotwords) throws -> BeamSearchDecoder {
        if !hotwords.isEmpty && hotwords.alphabet != alphabet {
            throw BeamSearchOptionsError(message: "the hotwords were built for another alphabet")
        }
        var copy = self
        copy.hotwords = hotwords
        copy.hasHotwords = !hotwords.isEmpty
        copy.maxBoost = hotwords.isEmpty ? 0 : hotwords.maxBoost
        return copy
    }

    /// Decodes one utterance.
    /// - Parameters:
    ///   - logProbabilities: (T, V) row-major log-probabilities (log-softmax outputs; NaN counts as −∞).
    ///   - frameCount: T.
    ///   - vocabularySize: V, which must equal `alphabet.outputCount`.
    ///   - workspace: scratch memory, reused across calls (one per thread).
    public func decode(
        _ logProbabilities: UnsafeBufferPointer<Float>, frameCount: Int, vocabularySize: Int, workspace: Workspace
    ) -> DecodingResult {
        alphabet.checkPosteriors(count: logProbabilities.count, frameCount: frameCount, vocabularySize: vocabularySize)
        let beamCount = search(logProbabilities, frameCount: frameCount, vocabularySize: vocabularySize, workspace)
        return result(beamCount: beamCount, frameCount: frameCount, workspace)
    }

    /// Decodes one utterance held in an array, (T, V) row-major, with a fresh workspace.
    public func decode(_ logProbabilities: [Float], frameCount: Int, vocabularySize: Int) -> DecodingResult {
        let workspace = Workspace()
        return logProbabilities.withUnsafeBufferPointer {
            decode($0, frameCount: frameCount, vocabularySize: vocabularySize, workspace: workspace)
        }
    }

    /// The final beam (its `beamCount` entries in the workspace's current beam) as hypotheses: end-of-utterance
    /// scores, labels and frames, merging of equal transcripts, ranking; texts are made for the `nBest` only.
    func result(beamCount: Int, frameCount: Int, _ ws: Workspace) -> DecodingResult {
        let scoring = hasLanguageModel || hasHotwords
        var hypotheses: [DecodingResult.Hypothesis] = []
        var indexOfLabels: [[Int]: Int] = [:]
        for i in 0..<beamCount {
            let node = ws.beamNode.0.base[i]
            let acoustic = logAdd(ws.beamBlank.0.base[i], ws.beamNonBlank.0.base[i])
            var lm: Float = 0, hot: Float = 0
            if scoring {
                let final = finish(ws.state.base[Int(node)])
                lm = final.lmScore
                hot = final.hotSettled
            }
            // Each label's frame: the last label's is its node's frame, every other one's is the frame its
            // child on this path recorded for it.
            var path: [(label: Int, frame: Int)] = []
            var n = node, frame = node > 0 ? Int(ws.frame.base[Int(node)]) : -1
            while n > 0 {
                path.append((Int(ws.label.base[Int(n)]), frame))
                frame = Int(ws.parentFrame.base[Int(n)])
                n = ws.parent.base[Int(n)]
            }
            let (labels, frames) = transcript(path.reversed())
            let hypothesis = DecodingResult.Hypothesis(
                text: "", labels: labels, frames: frames, score: acoustic + lm + hot, acousticScore: acoustic,
                languageModelScore: lm, hotwordScore: hot)
            if let j = indexOfLabels[labels] {
                hypotheses[j] = merged(hypotheses[j], hypothesis)
            } else {
                indexOfLabels[labels] = hypotheses.count
                hypotheses.append(hypothesis)
            }
        }
        var best = ranked(hypotheses)
        for k in best.indices { best[k].text = alphabet.decode(best[k].labels) }
        return DecodingResult(hypotheses: best, frameCount: frameCount)
    }

    /// The labels and frames of a prefix's path as the transcript has them: leading, trailing and repeated
    /// separators dropped, frames made strictly increasing (see `strictlyIncreasing`).
    func transcript(_ path: some Sequence<(label: Int, frame: Int)>) -> (labels: [Int], frames: [Int]) {
        var labels: [Int] = [], frames: [Int] = []
        for step in path {
            if step.label == separator && (labels.isEmpty || labels.last == separator) { continue }
            labels.append(step.label)
            frames.append(step.frame)
        }
        if labels.last == separator {
            labels.removeLast()
            frames.removeLast()
        }
        strictlyIncreasing(&frames)
        return (labels, frames)
    }

    /// Two hypotheses with the same transcript (different spacing): the acoustic probabilities add up; the
    /// alignment and the other scores are the more likely one's.
    func merged(_ a: DecodingResult.Hypothesis, _ b: DecodingResult.Hypothesis) -> DecodingResult.Hypothesis {
        var result = b.score > a.score ? b : a
        result.acousticScore = logAdd(a.acousticScore, b.acousticScore)
        result.score = result.acousticScore + result.languageModelScore + result.hotwordScore
        return result
    }

    /// The `nBest` best, by score (then acoustic score, then labels, so the order is total). Hypotheses scored
    /// −∞ (a word the options forbid, `unknownWordPenalty = -.infinity`) are left out unless all are.
    func ranked(_ hypotheses: [DecodingResult.Hypothesis]) -> [DecodingResult.Hypothesis] {
        var list = hypotheses.filter { $0.score > -.infinity }
        if list.isEmpty { list = hypotheses }
        list.sort {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.acousticScore != $1.acousticScore { return $0.acousticScore > $1.acousticScore }
            return $0.labels.lexicographicallyPrecedes($1.labels)
        }
        return Array(list.prefix(options.nBest))
    }
}

/// Guards the one case the timing rules leave open (a node re-timed in the frame its first child is timed):
/// each label's frame is made at least one past the previous label's.
func strictlyIncreasing(_ frames: inout [Int]) {
    for i in frames.indices.dropFirst() where frames[i] <= frames[i - 1] { frames[i] = frames[i - 1] + 1 }
}

/// ln(e^a + e^b), exact for −∞ arguments.
@inline(__always)
func logAdd(_ a: Float, _ b: Float) -> Float {
    let (high, low) = a > b ? (a, b) : (b, a)
    if low == -.infinity { return high }
    return high + log1pf(expf(low - high))
}
