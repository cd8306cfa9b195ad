/// What `BeamSearchDecoder` found in one utterance: the N best hypotheses, best first.
public struct DecodingResult: Sendable, Equatable {
    /// One transcript with its scores and alignment.
    public struct Hypothesis: Sendable, Equatable {
        /// The words separated by single spaces (no leading, trailing or repeated spaces).
        public var text: String
        /// The alphabet outputs of `text`, one per character (never the blank).
        public var labels: [Int]
        /// For each label, the frame where it is emitted: where most of its prefix's probability had the label
        /// emitted (the frame the prefix entered the beam, or a later one whose emission outweighed what the
        /// prefix carried over; see `BeamSearchDecoder+Search`). A frame index in model steps (multiply by the
        /// model's seconds per step for a time); strictly increasing.
        public var frames: [Int]
        /// `acousticScore + languageModelScore + hotwordScore`: what the hypotheses are ranked by.
        public var score: Float
        /// ln P(text | audio) under CTC: the sum over every alignment the beam kept of their probability
        /// (the exact prefix probability when nothing is pruned), merged over prefixes that differ only in
        /// spaces the text drops.
        public var acousticScore: Float
        /// α · Σ ln P(word | history) (with `</s>`) + β · words + the unknown-word penalties; 0 without a model.
        public var languageModelScore: Float
        /// The hotword bonuses settled by the end of the utterance; 0 without hotwords.
        public var hotwordScore: Float

        public init(
            text: String, labels: [Int], frames: [Int], score: Float, acousticScore: Float,
            languageModelScore: Float, hotwordScore: Float
        ) {
            self.text = text
            self.labels = labels
            self.frames = frames
            self.score = score
            self.acousticScore = acousticScore
            self.languageModelScore = languageModelScore
            self.hotwordScore = hotwordScore
        }
    }

    /// At most `nBest` hypotheses with distinct texts, in decreasing `score` (ties: higher acoustic score, then
    /// text order). Hypotheses scored −∞ are left out unless every one is.
    public var hypotheses: [Hypothesis]
    /// T, the frames decoded.
    public var frameCount: Int

    public init(hypotheses: [Hypothesis], frameCount: Int) {
        self.hypotheses = hypotheses
        self.frameCount = frameCount
    }

    /// The best hypothesis (an empty one for an empty result).
    public var best: Hypothesis {
        hypotheses.first
            ?? Hypothesis(
                text: "", labels: [], frames: [], score: 0, acousticScore: 0, languageModelScore: 0, hotwordScore: 0)
    }

    /// The best transcript.
    public var text: String { best.text }
}
