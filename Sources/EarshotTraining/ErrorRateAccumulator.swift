/// Corpus-level WER and CER: the counts of every utterance summed, then divided once, so long utterances
/// weigh more than short ones (jiwer's result for lists of references and hypotheses; not the mean of
/// per-utterance rates).
///
///     var scores = ErrorRateAccumulator()
///     for (ref, hyp) in pairs {
///         scores.add(reference: normalizer.normalize(ref), hypothesis: normalizer.normalize(hyp))
///     }
///     print(scores.wer, scores.cer)
public struct ErrorRateAccumulator: Codable, Sendable, Equatable {
    /// Word counts summed over the utterances added.
    public private(set) var words = EditCounts()
    /// Character counts summed over the utterances added.
    public private(set) var characters = EditCounts()
    /// Utterances added.
    public private(set) var utteranceCount = 0

    public init() {}

    /// Scores one utterance (see `UtteranceErrors` for how), adds its counts, and returns its result.
    @discardableResult
    public mutating func add(reference: String, hypothesis: String) -> UtteranceErrors {
        let result = UtteranceErrors(reference: reference, hypothesis: hypothesis)
        add(result)
        return result
    }

    /// Adds an utterance scored before.
    public mutating func add(_ utterance: UtteranceErrors) {
        words += utterance.words
        characters += utterance.characters
        utteranceCount += 1
    }

    /// Corpus word error rate: ΣS+ΣD+ΣI over ΣN (ΣI when every reference is empty).
    public var wer: Double { words.errorRate }
    /// Corpus character error rate, spaces included.
    public var cer: Double { characters.errorRate }
    /// Words in all references.
    public var referenceWordCount: Int { words.referenceLength }
    /// Characters in all references.
    public var referenceCharacterCount: Int { characters.referenceLength }
}
