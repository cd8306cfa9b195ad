/// Word n-gram counts of a text corpus, the input of a Kneser–Ney language model (`NGramCounts+KneserNey`):
/// `earshot lm build` feeds it normalised transcript lines and writes the ARPA file it estimates.
///
/// Each line is one sentence, padded as `<s> w1 … wk </s>`; every n-gram of order 1…`order` inside the padded
/// sentence is counted (so `<s>` only ever starts an n-gram and `</s>` only ends one). Words are the line's
/// blank-separated tokens, taken as they are: normalise the text first (`TextNormalizer`). Empty lines are
/// skipped (an empty sentence would only teach the model that `</s>` follows `<s>`), and so are literal `<s>`
/// and `</s>` tokens; a literal `<unk>` counts as the unknown word.
public struct NGramCounts: Sendable, Equatable {
    /// The unknown word, the sentence start and the sentence end: word ids 0, 1, 2.
    public static let unknown = "<unk>", sentenceStart = "<s>", sentenceEnd = "</s>"
    static let unknownID: Int32 = 0, startID: Int32 = 1, endID: Int32 = 2

    /// The highest order counted (≥ 1).
    public let order: Int
    /// Word ids: `<unk>`, `<s>`, `</s>`, then the corpus words in order of first appearance.
    public private(set) var vocabulary = [NGramCounts.unknown, NGramCounts.sentenceStart, NGramCounts.sentenceEnd]
    /// Sentences (non-empty lines) counted.
    public private(set) var sentenceCount = 0
    /// Words counted, without the padding.
    public private(set) var wordCount = 0

    private var wordIDs: [String: Int32] = [
        NGramCounts.unknown: NGramCounts.unknownID, NGramCounts.sentenceStart: NGramCounts.startID,
        NGramCounts.sentenceEnd: NGramCounts.endID,
    ]
    /// (order): raw counts of the n-grams of each order (index 0 = unigrams), keyed by word ids.
    private(set) var counts: [[[Int32]: Int]]

    /// - Precondition: `order ≥ 1`.
    public init(order: Int = 3) {
        precondition(order >= 1, "an n-gram order is at least 1, got \(order)")
        self.order = order
        self.counts = Array(repeating: [:], count: order)
    }

    /// Counts one sentence: the blank-separated words of `line`.
    public mutating func add(line: some StringProtocol) {
        let words = String(line).split(whereSeparator: { (c: Character) in c == " " || c == "\t" || c.isNewline })
        add(words: words.map(String.init))
    }

    /// Counts one sentence given as words.
    public mutating func add(words: [String]) {
        var padded: [Int32] = [Self.startID]
        for word in words where word != Self.sentenceStart && word != Self.sentenceEnd {
            padded.append(id(of: word))
        }
        guard padded.count > 1 else { return }
        wordCount += padded.count - 1
        sentenceCount += 1
        padded.append(Self.endID)
        for start in padded.indices {
            for n in 1...min(order, padded.count - start) {
                counts[n - 1][Array(padded[start..<(start + n)]), default: 0] += 1
            }
        }
    }

    /// Counts every non-empty line of `text`.
    public mutating func add(text: some StringProtocol) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) { add(line: line) }
    }

    private mutating func id(of word: String) -> Int32 {
        if let id = wordIDs[word] { return id }
        let id = Int32(vocabulary.count)
        vocabulary.append(word)
        wordIDs[word] = id
        return id
    }

    /// How often the n-gram `words` (`<s>` and `</s>` included as written) occurs; 0 for an unknown word.
    public func count(of words: [String]) -> Int {
        guard (1...order).contains(words.count) else { return 0 }
        var key: [Int32] = []
        for word in words {
            guard let id = wordIDs[word] else { return 0 }
            key.append(id)
        }
        return counts[words.count - 1][key] ?? 0
    }

    /// The number of distinct n-grams of each order (index 0 = unigrams, `<s>`, `</s>` included).
    public var distinctCounts: [Int] { counts.map(\.count) }
}
