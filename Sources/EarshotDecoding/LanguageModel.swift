/// A word language model as the beam search uses it: words are ids into `vocabulary`, and a history is an opaque
/// `LanguageModelState` that the model hands out and takes back.
///
/// The decoder asks for one word at a time, each time a hypothesis completes a word (at a space, and at the end
/// of the utterance), and once for the end of the sentence:
///
///     var state = lm.beginState                          // the history "<s>"
///     let (p1, s1) = lm.score(word: id("the"), after: state)   // ln P(the | <s>)
///     let (p2, s2) = lm.score(word: id("cat"), after: s1)      // ln P(cat | <s> the)
///     let end = lm.endScore(after: s2)                         // ln P(</s> | <s> the cat)
///
/// Scores are natural logarithms. A word outside the vocabulary is scored as `unknownWordID`. Conforming types
/// must be immutable after construction (`Sendable`): one model is shared by every decoder and thread.
public protocol LanguageModel: Sendable {
    /// The words the model can score, indexed by word id. Entries that are not spellable in the decoder's
    /// alphabet (`<s>`, `</s>`, `<unk>`, words with digits) are simply never produced by the decoder.
    var vocabulary: [String] { get }
    /// The id scored for a word that is not in `vocabulary`.
    var unknownWordID: Int32 { get }
    /// The history before the first word of an utterance (`<s>`).
    var beginState: LanguageModelState { get }
    /// ln P(word | state), and the history after it.
    func score(word: Int32, after state: LanguageModelState) -> (logProbability: Float, state: LanguageModelState)
    /// ln P(`</s>` | state): the cost of ending the utterance here.
    func endScore(after state: LanguageModelState) -> Float
}

/// An opaque history of a `LanguageModel`; only the model that made it can interpret it.
public struct LanguageModelState: Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

extension LanguageModel {
    /// ln P(words, `</s>` | `<s>`): the score of a whole sentence, words outside the vocabulary as the unknown
    /// word (a slow convenience for tests and tools; it builds a word index on every call).
    public func sentenceLogProbability(_ words: [String], addsEnd: Bool = true) -> Double {
        var ids: [String: Int32] = [:]
        for (i, w) in vocabulary.enumerated() where ids[w] == nil { ids[w] = Int32(i) }
        var state = beginState
        var total = 0.0
        for word in words {
            let (p, next) = score(word: ids[word] ?? unknownWordID, after: state)
            total += Double(p)
            state = next
        }
        if addsEnd { total += Double(endScore(after: state)) }
        return total
    }
}
