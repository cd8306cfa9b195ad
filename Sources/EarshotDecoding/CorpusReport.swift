/// What `NGramCounts.add(corpus:words:)` made of one text file: the sentences counted and what it left out.
public struct CorpusReport: Sendable, Equatable {
    /// The file's path or the stream's name.
    public var path: String
    /// Non-blank lines read.
    public var lines = 0
    /// Lines that gave at least one word: the sentences counted.
    public var sentences = 0
    /// Non-blank lines that gave no word in the alphabet, and the first of them (1-based).
    public var unusableLines = 0
    public var firstUnusableLine: Int?
    /// Words left out whole for characters outside the alphabet (`CorpusWords`), and the first of them
    /// with its line.
    public var droppedWords = 0
    public var firstDroppedWord: String?
    public var firstDroppedWordLine: Int?

    public init(path: String) {
        self.path = path
    }

    /// One line per thing left out, naming the file: words with characters outside the alphabet, lines that
    /// gave no word. Empty when nothing was.
    public var warnings: [String] {
        var result: [String] = []
        if let word = firstDroppedWord, let line = firstDroppedWordLine {
            let words = droppedWords == 1 ? "1 word" : "\(droppedWords) words"
            result.append(
                "\(path): left out \(words) with characters outside the alphabet (the first: '\(word)', line \(line))")
        }
        if let line = firstUnusableLine {
            result.append(
                "\(path): \(unusableLines) of \(lines) lines give no word in the alphabet (the first: line \(line))")
        }
        return result
    }
}
