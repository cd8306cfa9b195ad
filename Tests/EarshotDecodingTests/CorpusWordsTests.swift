import EarshotDecoding
import EarshotTestSupport
import Foundation
import Testing

/// Language-model text keeps whole words: accents fold to base letters of the alphabet, other words are
/// left out whole and counted; text that is not UTF-8, or mostly not words, is an error naming the line.
@Suite struct CorpusWordsTests {
    @Test(arguments: [
        ("a café au lait", ["a", "cafe", "au", "lait"], [String]()),
        ("the naïve reader", ["the", "naive", "reader"], []),
        ("cafe\u{301} crème brûlée", ["cafe", "creme", "brulee"], []),  // decomposed and composed accents
        ("say Σωκράτης twice", ["say", "twice"], ["σωκράτης"]),
        ("die Straße", ["die"], ["straße"]),
        ("x² and 2 cats", ["x", "and", "two", "cats"], ["²"]),
        ("don't STOP", ["don't", "stop"], []),
    ])
    func wordsAreKeptOrLeftOutWhole(line: String, kept: [String], dropped: [String]) {
        let words = CorpusWords().words(of: line)
        #expect(words.kept == kept)
        #expect(words.dropped == dropped)
    }

    /// The transcript normaliser itself is unchanged: it still drops the letters it cannot write.
    @Test func theNormalizerIsUnchanged() {
        #expect(TextNormalizer().normalize("a café") == "a caf")
    }

    /// Counts `text` as the file `corpus.txt`.
    static func count(_ bytes: [UInt8]) throws -> (NGramCounts, Result<CorpusReport, CorpusError>, String) {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("corpus.txt").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var counts = NGramCounts(order: 2)
            let reader = try TextLineReader(path: path)
            let result = Result { () throws(CorpusError) in try counts.add(corpus: reader, words: CorpusWords()) }
            return (counts, result, path)
        }
    }

    @Test func aReportCountsSentencesAndWhatWasLeftOut() throws {
        let (counts, result, path) = try Self.count(Array("one café\n\n  \nΣωκράτης\nsay naïve things\n".utf8))
        let report = try result.get()
        #expect(report.lines == 3)
        #expect(report.sentences == 2)
        #expect(counts.sentenceCount == 2)
        #expect(counts.vocabulary.contains("cafe") && counts.vocabulary.contains("naive"))
        #expect(
            report.warnings == [
                "\(path): left out 1 word with characters outside the alphabet (the first: 'σωκράτης', line 4)",
                "\(path): 1 of 3 lines give no word in the alphabet (the first: line 4)",
            ])
    }

    @Test func bytesThatAreNotUTF8AreAnError() throws {
        let (_, result, path) = try Self.count(Array("good line\nbad ".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        #expect(throws: CorpusError.file(TextFileError(path: path, line: 2, reason: .notUTF8(offset: 14)))) {
            try result.get()
        }
    }

    @Test func moreThanHalfOfTheLinesUnusableIsAnError() throws {
        let (_, result, path) = try Self.count(Array("hello there\n日本語\n☺ ☺\n".utf8))
        #expect(throws: CorpusError.mostlyUnusable(path: path, unusable: 2, lines: 3, firstLine: 2)) {
            try result.get()
        }
    }
}
