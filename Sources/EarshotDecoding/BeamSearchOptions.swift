/// Options of `BeamSearchDecoder`. Scores are natural logarithms (nats) throughout.
///
/// The defaults suit a trained CTC model's peaky posteriors at 29 outputs; every pruning default is chosen so
/// that what it drops carries a negligible share of the probability (e^−10 ≈ 4.5·10⁻⁵).
public struct BeamSearchOptions: Codable, Sendable, Equatable {
    /// Hypotheses (prefixes) kept after each frame. Default 32: on peaky posteriors the transcript stops
    /// changing well below that (the benchmark compares 32 and 100); cost grows linearly with it.
    public var beamWidth = 32

    /// Per-frame symbol pruning: only symbols whose log-probability is within `pruneThreshold` of the frame's
    /// best may start a new prefix. Default 10 nats: a symbol e^10 ≈ 22 000 times less likely than the best
    /// one barely moves any prefix's score. `.infinity` keeps every symbol.
    public var pruneThreshold: Float = 10

    /// Per-frame symbol pruning: at most this many symbols (the most likely ones, the blank not counted) may
    /// start a new prefix. Default 8: after the 10-nat threshold, a trained model rarely leaves more than a few.
    public var topK = 8

    /// Blank skipping: a frame whose blank probability is at least this creates no new prefix. Each hypothesis
    /// keeps its prefix and takes the frame's blank (and, for its non-blank-ending part, a repeat of its last
    /// label: the `aa` → `a` collapse), exactly the recursion below with every extension by a new symbol left
    /// out; no candidates are made, merged or sorted. Default 0.999: such a frame gives any new prefix at most
    /// 10⁻³ of the mass, and a trained model emits a character on few frames. Set above 1 to turn it off.
    public var blankSkipThreshold: Float = 0.999

    /// Hypotheses whose score is more than this below the best one's after a frame are dropped even when the
    /// beam has room. Default 25 nats (flashlight's `beamThreshold` plays the same role): far below any
    /// language-model swing, so only hopeless prefixes go. With hotwords the cut is widened by the largest bonus
    /// a partial match can hold (the best hypothesis may lead only by a bonus it will give back).
    /// `.infinity` turns it off.
    public var beamThreshold: Float = 25

    /// Hypotheses returned, best first (at most `beamWidth`, and fewer when fewer distinct texts survive).
    /// Default 1.
    public var nBest = 1

    /// α: weight of the language model's ln P(word | history). Default 0.5, pyctcdecode's default for a
    /// character CTC model with a word n-gram.
    public var languageModelWeight: Float = 0.5

    /// β: added per word scored by the language model (a word insertion bonus that offsets the LM's per-word
    /// cost). Default 1.0.
    public var wordBonus: Float = 1.0

    /// Added (once) to a hypothesis whose current word stops being a prefix of any vocabulary word or hotword, or
    /// ends as a word outside the vocabulary: the lexicon check of flashlight's lexicon decoder, as a soft
    /// penalty (pyctcdecode's `unk_score_offset`). Default −10 nats. `-.infinity` forbids words outside the
    /// vocabulary and the hotwords. Used only with a language model.
    public var unknownWordPenalty: Float = -10

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case beamWidth, pruneThreshold, topK, blankSkipThreshold, beamThreshold, nBest, languageModelWeight
        case wordBonus, unknownWordPenalty
    }

    /// Decodes options; a missing key takes its default, so options stored by an older version still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BeamSearchOptions()
        beamWidth = try c.decodeIfPresent(Int.self, forKey: .beamWidth) ?? d.beamWidth
        pruneThreshold = try c.decodeIfPresent(Float.self, forKey: .pruneThreshold) ?? d.pruneThreshold
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        blankSkipThreshold = try c.decodeIfPresent(Float.self, forKey: .blankSkipThreshold) ?? d.blankSkipThreshold
        beamThreshold = try c.decodeIfPresent(Float.self, forKey: .beamThreshold) ?? d.beamThreshold
        nBest = try c.decodeIfPresent(Int.self, forKey: .nBest) ?? d.nBest
        languageModelWeight = try c.decodeIfPresent(Float.self, forKey: .languageModelWeight) ?? d.languageModelWeight
        wordBonus = try c.decodeIfPresent(Float.self, forKey: .wordBonus) ?? d.wordBonus
        unknownWordPenalty = try c.decodeIfPresent(Float.self, forKey: .unknownWordPenalty) ?? d.unknownWordPenalty
    }

    /// Checks the ranges: `beamWidth ≥ 1`, `topK ≥ 1`, `nBest ≥ 1`, thresholds not NaN.
    public func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw BeamSearchOptionsError(message: message) }
        }
        try check(beamWidth >= 1, "beamWidth must be at least 1, got \(beamWidth)")
        try check(topK >= 1, "topK must be at least 1, got \(topK)")
        try check(nBest >= 1, "nBest must be at least 1, got \(nBest)")
        try check(!pruneThreshold.isNaN && pruneThreshold >= 0, "pruneThreshold must be ≥ 0, got \(pruneThreshold)")
        try check(!beamThreshold.isNaN && beamThreshold >= 0, "beamThreshold must be ≥ 0, got \(beamThreshold)")
        try check(
            blankSkipThreshold > 0, "blankSkipThreshold must be > 0 (> 1 turns it off), got \(blankSkipThreshold)")
        try check(languageModelWeight.isFinite && languageModelWeight >= 0, "languageModelWeight must be ≥ 0")
        try check(wordBonus.isFinite, "wordBonus must be finite")
        try check(!unknownWordPenalty.isNaN && unknownWordPenalty <= 0, "unknownWordPenalty must be ≤ 0")
    }
}

/// An option out of its range (see `BeamSearchOptions.validate()`).
public struct BeamSearchOptionsError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
