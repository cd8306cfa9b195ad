/// Counting a text file for a language model, line by line.
extension NGramCounts {
    /// Counts every line `reader` gives as a sentence of the words `words` keeps, and reports what was left
    /// out.
    /// 1. Each line is read as UTF-8 text (a line that is not, or is longer than the reader's limit, is an
    ///    error naming it); blank lines are passed over.
    /// 2. Its words are filtered (`CorpusWords`): those left out are counted; a line with no word left is
    ///    counted as unusable; the others are counted as sentences.
    /// 3. At the end, more than half of the non-blank lines unusable is an error: the file is not text in
    ///    the alphabet.
    ///
    /// On an error the counts hold the lines before it: discard them.
    /// - Throws: `CorpusError`.
    @discardableResult
    public mutating func add(corpus reader: TextLineReader, words: CorpusWords) throws(CorpusError) -> CorpusReport {
        var report = CorpusReport(path: reader.name)
        do {
            while let line = try reader.next() {
                let text = try line.text()
                guard text.contains(where: { !$0.isWhitespace }) else { continue }
                report.lines += 1
                let (kept, dropped) = words.words(of: text)
                if let first = dropped.first, report.firstDroppedWord == nil {
                    report.firstDroppedWord = first
                    report.firstDroppedWordLine = line.number
                }
                report.droppedWords += dropped.count
                if kept.isEmpty {
                    report.unusableLines += 1
                    if report.firstUnusableLine == nil { report.firstUnusableLine = line.number }
                } else {
                    add(words: kept)
                    report.sentences += 1
                }
            }
        } catch {
            throw .file(error)
        }
        if let first = report.firstUnusableLine, 2 * report.unusableLines > report.lines {
            throw .mostlyUnusable(
                path: report.path, unusable: report.unusableLines, lines: report.lines, firstLine: first)
        }
        return report
    }
}
