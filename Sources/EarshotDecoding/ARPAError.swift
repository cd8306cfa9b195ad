/// A malformed ARPA file: which file, which line (1-based), and what is wrong there.
///
/// The description reads like a compiler diagnostic, `lm.arpa:12: count mismatch: ...`, so a user can open the
/// file at the line.
public struct ARPAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        /// The file could not be read at all (the system's reason).
        case unreadable(String)
        /// No `\data\` line before the first section (or before the end of the file).
        case missingHeader
        /// A line in the `\data\` block that is not `ngram N=count`, or orders that are not 1, 2, … N.
        case badCountLine(String)
        /// `\data\` declares more n-grams than the file can hold: with `ngram order=declared`, the n-grams
        /// declared so far need at least `minimumBytes` bytes (an entry of order n takes `2n + 2`: a
        /// one-character probability and words, the blanks between them and the line break), but the file
        /// has only `fileBytes`. Refused before any memory is reserved for them.
        case countBeyondFile(order: Int, declared: Int, minimumBytes: Int, fileBytes: Int)
        /// `\data\` declares an order above `ARPALanguageModel.maximumOrder`, or more n-grams in all than
        /// `ARPALanguageModel.maximumNGramCount`.
        case beyondLimit(String)
        /// Section `\order-grams:` declared `declared` entries in `\data\` but holds `found`.
        case countMismatch(order: Int, declared: Int, found: Int)
        /// A field that should be a log10 probability or back-off is not a number (or is NaN or +∞).
        case badNumber(String)
        /// An entry of the `\order-grams:` section whose fields after the probability are neither `order`
        /// words nor `order` words and a back-off (the highest order has no back-off); `found` counts every
        /// field after the probability.
        case wrongWordCount(order: Int, found: Int)
        /// A `\…` line that is not `\N-grams:` for the next declared order, nor `\end\`.
        case unknownSection(String)
        /// The file ends without `\end\`.
        case missingEnd
        /// The same n-gram twice in one section.
        case duplicateNGram(String)
        /// An n-gram of order ≥ 2 uses a word that has no unigram entry.
        case wordNotInUnigrams(String)
    }

    /// The file as the caller named it (`<string>` when parsed from text).
    public var file: String
    /// 1-based line number; for `missingEnd`, the last line; 0 for `unreadable`.
    public var line: Int
    public var reason: Reason

    public init(file: String, line: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .unreadable(let message): what = "cannot read the file: \(message)"
        case .missingHeader: what = "missing header: expected \\data\\ before the n-gram sections"
        case .badCountLine(let text): what = "bad count line in \\data\\: expected 'ngram N=count', got '\(text)'"
        case .countBeyondFile(let order, let declared, let minimumBytes, let fileBytes):
            what =
                "\\data\\ declares ngram \(order)=\(declared), more than the file can hold: the n-grams declared so "
                + "far take at least \(minimumBytes) bytes, the file has \(fileBytes)"
        case .beyondLimit(let text): what = text
        case .countMismatch(let order, let declared, let found):
            what =
                "count mismatch: \\data\\ declares ngram \(order)=\(declared) but the \\\(order)-grams: "
                + "section has \(found)"
        case .badNumber(let text): what = "bad number '\(text)': expected a log10 probability or back-off"
        case .wrongWordCount(let order, let found):
            what =
                "wrong number of words: a \(order)-gram entry has \(found) fields after the probability "
                + "(expected \(order) words, and a back-off only below the highest order)"
        case .unknownSection(let text): what = "unknown or out-of-order section '\(text)'"
        case .missingEnd: what = "missing \\end\\: the file ends inside the model"
        case .duplicateNGram(let text): what = "duplicate n-gram '\(text)'"
        case .wordNotInUnigrams(let word): what = "the word '\(word)' has no unigram entry"
        }
        return "\(file):\(line): \(what)"
    }
}
