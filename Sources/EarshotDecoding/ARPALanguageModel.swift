/// A back-off word n-gram model read from an ARPA file (SRILM's and KenLM's text format), of any order.
///
/// Scoring (Katz back-off, as every ARPA reader does): for a history h = w1 … wk and a word w,
///
///     ln P(w | w1 … wk) = ln p(w1 … wk w)                         if that n-gram is in the file
///                       = ln b(w1 … wk) + ln P(w | w2 … wk)       otherwise (b = 1 when h is not listed)
///
/// ending at the unigram p(w). The file's log10 values are converted to natural logs once, at load.
///
/// Representation: word ids are the order of the unigram section, and the unigram with word id i is n-gram i.
/// Every n-gram of order ≥ 2 is found by hashing (id of its context, id of its last word) (`ARPANGramTable`),
/// and stores its probability, its back-off and the id of its suffix (the n-gram without its first word, or the
/// longest suffix that is listed), so backing off is following one pointer. A `LanguageModelState` is the id of
/// the n-gram of the history (at most order − 1 words); −1 is the empty history.
///
/// Conventions of the format, and what this reader does with them:
/// - `<s>` is a context only (its probability, usually −99, is never used); `beginState` is its unigram. A file
///   without `<s>` starts from the empty history.
/// - `</s>` is scored by `endScore`; a file without it ends for free (ln 1).
/// - `<unk>` is scored for words outside the vocabulary. A file without it (a closed-vocabulary model) gets one
///   with log10 p = −100, KenLM's choice: practically impossible, but finite.
/// - An n-gram whose context is not listed (some pruned models) gets that context added with the probability
///   the back-off gives it and back-off 1, as KenLM does; probabilities are unchanged.
public struct ARPALanguageModel: LanguageModel, Equatable {
    /// The highest order a file may declare: 10 (KenLM is built for 6 by default). With
    /// `maximumNGramCount`, it keeps every n-gram id, the contexts a pruned file leaves out included, within
    /// the `Int32` ids the model stores.
    public static let maximumOrder = 10
    /// The most n-grams a file may declare in all: 2²⁷ = 134,217,728 (a text file of about 4 GB, some
    /// 6 GB in memory). Counts are also bounded by the file's size, before anything is reserved for them
    /// (`ARPAError.Reason.countBeyondFile`).
    public static let maximumNGramCount = 1 << 27

    /// The highest n-gram order.
    public let order: Int
    /// The number of n-grams of each order (index 0 = unigrams), as declared in `\data\`.
    public let counts: [Int]
    public let vocabulary: [String]
    public let unknownWordID: Int32
    public let beginState: LanguageModelState
    /// Word id of `</s>`, or −1.
    let endWordID: Int32
    /// Word → id (used when loading and by `wordID(_:)`, never while decoding).
    let wordIDs: [String: Int32]

    /// (n-grams): ln p of each n-gram (natural log).
    let logProbabilities: [Float]
    /// (n-grams): ln b of each n-gram as a history (0 when the file gives none).
    let backoffs: [Float]
    /// (n-grams): id of the n-gram without its first word, or the longest listed suffix; −1 for unigrams.
    let suffixes: [Int32]
    /// (n-grams): the order of each n-gram.
    let orders: [UInt8]
    /// (n-grams): the id of each n-gram's context (its first order − 1 words), −1 for unigrams.
    let contexts: [Int32]
    /// (n-grams): the word id of each n-gram's last word.
    let lastWords: [Int32]
    /// Orders ≥ 2, by (context id, word id).
    let table: ARPANGramTable

    /// The id of `word`, or nil when the model does not know it.
    public func wordID(_ word: String) -> Int32? { wordIDs[word] }

    /// ln P(word | state); `word` outside 0..<vocabulary.count is scored as the unknown word.
    public func score(word: Int32, after state: LanguageModelState)
        -> (logProbability: Float, state: LanguageModelState)
    {
        let w = word >= 0 && Int(word) < vocabulary.count ? word : unknownWordID
        var context = state.rawValue
        var backoff: Float = 0
        while context >= 0 {
            let id = table.find(context: context, word: w)
            if id >= 0 { return (backoff + logProbabilities[Int(id)], next(after: id)) }
            backoff += backoffs[Int(context)]
            context = suffixes[Int(context)]
        }
        return (backoff + logProbabilities[Int(w)], next(after: w))
    }

    public func endScore(after state: LanguageModelState) -> Float {
        endWordID < 0 ? 0 : score(word: endWordID, after: state).logProbability
    }

    /// The history after the n-gram `id`: itself, unless it already has `order` words, then its suffix.
    @inline(__always)
    private func next(after id: Int32) -> LanguageModelState {
        LanguageModelState(rawValue: Int(orders[Int(id)]) == order ? suffixes[Int(id)] : id)
    }

    /// The words of the history `state` (oldest first), for diagnostics and tests.
    public func words(of state: LanguageModelState) -> [String] {
        var id = state.rawValue
        var result: [String] = []
        while id >= 0 {
            result.append(vocabulary[Int(lastWords[Int(id)])])
            id = contexts[Int(id)]
        }
        return result.reversed()
    }

    /// The id of the n-gram `words` exactly as listed, or −1.
    func lookup(_ words: [Int32]) -> Int32 {
        guard let first = words.first, first >= 0 else { return -1 }
        var id = first
        for w in words.dropFirst() {
            id = table.find(context: id, word: w)
            if id < 0 { return -1 }
        }
        return id
    }

    /// The history after `<s>` and `words`, for tests: the state the decoder would hold.
    public func state(after words: [String]) -> LanguageModelState {
        var state = beginState
        for word in words { state = score(word: wordIDs[word] ?? unknownWordID, after: state).state }
        return state
    }

    init(
        order: Int, counts: [Int], vocabulary: [String], wordIDs: [String: Int32], logProbabilities: [Float],
        backoffs: [Float], suffixes: [Int32], orders: [UInt8], contexts: [Int32], lastWords: [Int32],
        table: ARPANGramTable
    ) {
        self.order = order
        self.counts = counts
        self.vocabulary = vocabulary
        self.wordIDs = wordIDs
        self.logProbabilities = logProbabilities
        self.backoffs = backoffs
        self.suffixes = suffixes
        self.orders = orders
        self.contexts = contexts
        self.lastWords = lastWords
        self.table = table
        self.unknownWordID = wordIDs["<unk>"] ?? -1
        self.beginState = LanguageModelState(rawValue: wordIDs["<s>"] ?? -1)
        self.endWordID = wordIDs["</s>"] ?? -1
    }
}
