@testable import EarshotDecoding

/// The ARPA parser (`ARPALanguageModel(bytes:name:)`, behind `init(contentsOfFile:)`) on arbitrary bytes.
///
/// Checks: it returns a model or throws `ARPAError`; a model it returns has one count per order, knows
/// each of its words (and `<unk>`), and scores a walk through its first words, an unknown word and the end
/// of the sentence without NaN.
///
/// Inputs whose header declares more n-grams than the input has bytes are skipped: the parser reserves
/// memory for the declared counts before reading a single n-gram, so such a header makes it request
/// terabytes (a known defect, being fixed apart from this harness; FUZZING.md).
enum ARPATarget {
    /// Words of the vocabulary walked through after parsing.
    static let walkedWords = 16

    static func run(_ input: [UInt8]) {
        guard !declaresMoreNGramsThanBytes(input) else { return }
        let model: ARPALanguageModel
        do {
            model = try ARPALanguageModel(bytes: input, name: "<fuzz>")
        } catch {
            require(error is ARPAError, "threw \(type(of: error)), not an ARPAError: \(error)")
            return
        }
        require(model.order >= 1 && model.counts.count == model.order, "order \(model.order), counts \(model.counts)")
        require(model.wordID("<unk>") == model.unknownWordID, "<unk> is not the unknown word")
        var state = model.beginState
        for word in model.vocabulary.prefix(walkedWords) {
            guard let id = model.wordID(word) else {
                require(false, "vocabulary word \(word) has no id")
                return
            }
            let (score, next) = model.score(word: id, after: state)
            require(!score.isNaN, "NaN score for \(word)")
            state = next
            _ = model.words(of: state)
        }
        let unknown = model.score(word: -1, after: state)
        require(!unknown.logProbability.isNaN, "NaN score for an unknown word")
        require(!model.endScore(after: unknown.state).isNaN, "NaN end score")
        _ = model.state(after: Array(model.vocabulary.suffix(3)))
    }

    /// True when a `ngram N=C` line declares a count C (read as the parser reads it: blanks dropped, `Int`)
    /// larger than the input's byte count. A valid file spends at least two bytes per n-gram, so it never does.
    static func declaresMoreNGramsThanBytes(_ input: [UInt8]) -> Bool {
        for line in input.split(separator: UInt8(ascii: "\n")) {
            let compact = String(decoding: line, as: UTF8.self).filter { $0 != " " && $0 != "\t" && $0 != "\r" }
            guard compact.hasPrefix("ngram") else { continue }
            let parts = compact.split(separator: "=", omittingEmptySubsequences: false)
            if parts.count == 2, let count = Int(parts[1]), count > input.count { return true }
        }
        return false
    }
}
