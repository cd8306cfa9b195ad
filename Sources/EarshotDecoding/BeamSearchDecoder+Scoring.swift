/// What a prefix carries besides its acoustic scores: its language-model history, where its current word is in
/// the vocabulary trie and in the hotword trie, and the scores these give. It depends on the prefix's labels
/// only, so it is computed once per node (when the node is proposed) and reused for as long as the node lives.
struct PrefixState {
    /// The language model's history after the last completed word.
    var lmState: Int32
    /// The current (partial) word's node in the vocabulary trie: `WordTrie.root` at a word start, `none` once
    /// the word is no vocabulary word's prefix.
    var wordNode: Int32
    /// The current match's node in the hotword trie: `root` at a word start, `none` when this word matches no
    /// hotword (until the next space).
    var hotNode: Int32
    /// α · Σ ln P(word | history) + β · words + unknown-word penalties, for the completed words.
    var lmScore: Float
    /// Hotword bonuses settled for good.
    var hotSettled: Float
    /// The bonus of the longest hotword the current match completed at a word boundary, settled if the match
    /// breaks.
    var hotPending: Float
    /// `lmScore + hotSettled +` the bonus held at `hotNode`: what ranking adds to the acoustic score.
    var score: Float
}

extension BeamSearchDecoder {
    /// The state of the empty prefix.
    var initialState: PrefixState {
        PrefixState(
            lmState: languageModel?.beginState.rawValue ?? -1, wordNode: WordTrie.root,
            hotNode: !hasHotwords ? WordTrie.none : WordTrie.root, lmScore: 0, hotSettled: 0, hotPending: 0,
            score: 0)
    }

    /// The state of prefix + `label` (never the blank), from the prefix's state `s`.
    @inline(__always)
    func advance(_ s: PrefixState, by label: Int) -> PrefixState {
        var r = s
        if label == separator {
            if hasLanguageModel {
                if s.wordNode != WordTrie.root { completeWord(s, into: &r) }
                r.wordNode = WordTrie.root
            }
            if hasHotwords { advanceHotwordAtSpace(s, into: &r) }
        } else {
            let wasKnown = s.wordNode >= 0 || s.hotNode >= 0
            if hasHotwords, s.hotNode >= 0 {
                let next = hotwords.step(s.hotNode, label)
                if next < 0 {
                    // The match breaks: keep the longest hotword it completed, give back the rest.
                    r.hotSettled += s.hotPending
                    r.hotPending = 0
                }
                r.hotNode = next
            }
            if hasLanguageModel {
                r.wordNode = vocabularyTrie.child(s.wordNode, label)
                if wasKnown && r.wordNode < 0 && r.hotNode < 0 { r.lmScore += options.unknownWordPenalty }
            }
        }
        r.score = r.lmScore + r.hotSettled + (r.hotNode > 0 ? hotwords.held[Int(r.hotNode)] : 0)
        return r
    }

    /// `advance(s, by: label).score` for a letter, exactly, and an upper bound of it for a separator, without
    /// building the state: for a letter, one hotword-table step and one vocabulary-trie step decide the bonus
    /// and the unknown-word penalty; a separator may add up to `maxBoost` (a phrase going on), what settling
    /// adds to the held bonus (`maxSettleGain`), and `maxWordGain` (a completed word: α · ln P + β ≤ β).
    @inline(__always)
    func scoreBound(_ s: PrefixState, by label: Int) -> Float {
        var bound = s.score
        if label == separator {
            bound += maxWordGain
            if s.hotNode > 0 { bound += maxBoost + hotwords.maxSettleGain }
            return bound
        }
        var hotNode = s.hotNode
        if hasHotwords && s.hotNode >= 0 {
            let held = hotwords.held[Int(s.hotNode)]
            hotNode = hotwords.step(s.hotNode, label)
            bound += hotNode >= 0 ? hotwords.held[Int(hotNode)] - held : s.hotPending - held
        }
        if hasLanguageModel && (s.wordNode >= 0 || s.hotNode >= 0) && hotNode < 0
            && vocabularyTrie.child(s.wordNode, label) < 0
        {
            bound += options.unknownWordPenalty
        }
        return bound
    }

    /// The state at the end of the utterance: the last word scored, `</s>`, and every hotword bonus settled.
    func finish(_ s: PrefixState) -> PrefixState {
        var r = s
        if let languageModel {
            if s.wordNode != WordTrie.root { completeWord(s, into: &r) }
            let end = languageModel.endScore(after: LanguageModelState(rawValue: r.lmState))
            r.lmScore += options.languageModelWeight * end
        }
        if s.hotNode > 0 && hotwords.isEnd[Int(s.hotNode)] {
            r.hotSettled += hotwords.bonus[Int(s.hotNode)]
        } else {
            r.hotSettled += s.hotPending
        }
        r.hotPending = 0
        r.hotNode = WordTrie.none
        r.score = r.lmScore + r.hotSettled
        return r
    }

    /// Scores the current word of `s` (non-empty) with the language model: α · ln P(word | history) + β, and
    /// the unknown-word penalty if the word is outside the vocabulary and was not penalised yet (it was, when it
    /// left both tries mid-word) and is not part of a hotword match.
    private func completeWord(_ s: PrefixState, into r: inout PrefixState) {
        guard let languageModel else { return }
        var word = vocabularyTrie.value(at: s.wordNode)
        if word < 0 {
            let penalised = s.wordNode < 0 && s.hotNode < 0
            if !penalised && !endsHotwordWord(s.hotNode) { r.lmScore += options.unknownWordPenalty }
            word = languageModel.unknownWordID
        }
        let (p, next) = languageModel.score(word: word, after: LanguageModelState(rawValue: s.lmState))
        r.lmScore += options.languageModelWeight * p + options.wordBonus
        r.lmState = next.rawValue
    }

    /// Whether a word ending at hotword node `h` ends a word of a hotword (the whole hotword, or a word of a
    /// phrase that goes on).
    private func endsHotwordWord(_ h: Int32) -> Bool {
        h > 0 && (hotwords.isEnd[Int(h)] || hotwords.step(h, separator) >= 0)
    }

    /// The hotword transition on a space: a completed hotword becomes pending, a phrase goes on across the space,
    /// anything else settles what is pending and starts matching afresh at the next word.
    @inline(__always)
    private func advanceHotwordAtSpace(_ s: PrefixState, into r: inout PrefixState) {
        let h = s.hotNode
        if h < 0 {
            r.hotNode = WordTrie.root
            r.hotPending = 0
        } else if h > 0 {
            var pending = s.hotPending
            if hotwords.isEnd[Int(h)] { pending = hotwords.bonus[Int(h)] }
            let next = hotwords.step(h, separator)
            if next >= 0 {
                r.hotNode = next
                r.hotPending = pending
            } else {
                r.hotSettled += pending
                r.hotPending = 0
                r.hotNode = WordTrie.root
            }
        }
    }
}
