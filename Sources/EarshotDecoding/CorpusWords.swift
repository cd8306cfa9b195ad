import Foundation

/// The words a language model learns from one line of text (`earshot lm build`): the line normalised as
/// transcripts are (`TextNormalizer.spokenForm`: lower case, numbers spelled out, punctuation removed), then
/// each word either kept whole or left out whole, never cut apart:
/// 1. a word whose characters are all in the alphabet is kept;
/// 2. a letter outside it whose canonical decomposition is a letter of the alphabet with combining marks is
///    folded to that letter (`é` → `e`, `ï` → `i`: `café` → `cafe`, the spelling a model of a–z outputs);
/// 3. a word with any other character outside the alphabet (`straße`, `σωκράτης`, `²`) is left out and
///    returned as dropped, for the caller to count and show.
///
/// This filter is the language model's own: `TextNormalizer` (the twin of the Python normaliser the corpus
/// scripts use) is not changed by it, and `normalize` still drops characters outside the alphabet one by one.
public struct CorpusWords: Sendable {
    public var normalizer: TextNormalizer

    public init(normalizer: TextNormalizer = TextNormalizer()) {
        self.normalizer = normalizer
    }

    /// The words of `line` kept (folded) and those left out, each in line order.
    public func words(of line: String) -> (kept: [String], dropped: [String]) {
        var kept: [String] = [], dropped: [String] = []
        for word in normalizer.spokenForm(line).split(separator: " ") {
            if let folded = fold(word) {
                kept.append(folded)
            } else {
                dropped.append(String(word))
            }
        }
        return (kept, dropped)
    }

    /// `word` in the alphabet's characters, each character outside it folded to its base letter; nil when
    /// a character has no base letter in the alphabet.
    func fold(_ word: Substring) -> String? {
        let alphabet = normalizer.alphabet
        if word.allSatisfy({ alphabet.index(of: $0) != nil }) { return String(word) }
        var result = ""
        for c in word {
            if alphabet.index(of: c) != nil {
                result.append(c)
                continue
            }
            var base = String.UnicodeScalarView()
            for scalar in String(c).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                base.append(scalar)
            }
            let letter = String(base)
            guard letter.count == 1, let folded = letter.first, folded != c, alphabet.index(of: folded) != nil else {
                return nil
            }
            result.append(folded)
        }
        return result
    }
}
