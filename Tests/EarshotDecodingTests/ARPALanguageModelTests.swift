import EarshotDecoding
import EarshotTestSupport
import Foundation
import XCTest

/// The ARPA reader: back-off scores by hand and against KenLM, and every malformed-file error with its line.
final class ARPALanguageModelTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    static let ln10 = Float(M_LN10)

    /// A trigram model with round numbers (log10), so every back-off case can be computed by hand.
    static let tiny = """
        some tool wrote this comment line before the header

        \\data\\
        ngram 1=6
        ngram  2 = 4
        ngram 3=2

        \\1-grams:
        -1.0\t<unk>
        -99\t<s>\t-0.5
        -0.5\t</s>
        -0.7\tthe\t-0.2
        -1.2\tcat\t-0.3
        -1.5\tdog

        \\2-grams:
        -0.3\t<s> the\t-0.1
        -0.4\tthe cat\t-0.25
        -0.9\tthe dog
        -0.2\tcat </s>

        \\3-grams:
        -0.05\t<s> the cat
        -0.6\tthe cat </s>

        \\end\\
        anything after the end is ignored
        """

    func testBackoffByHand() throws {
        let lm = try ARPALanguageModel(parsing: Self.tiny)
        XCTAssertEqual(lm.order, 3)
        XCTAssertEqual(lm.counts, [6, 4, 2])
        XCTAssertEqual(lm.vocabulary, ["<unk>", "<s>", "</s>", "the", "cat", "dog"])
        func log10P(_ word: String, after history: [String]) -> Float {
            let id = lm.wordID(word) ?? lm.unknownWordID
            return lm.score(word: id, after: lm.state(after: history)).logProbability / Self.ln10
        }
        // Listed trigram.
        XCTAssertEqual(log10P("cat", after: ["the"]), -0.05, accuracy: 1e-6)
        // <s> the dog: no trigram, back-off b(<s> the) = −0.1, then the bigram "the dog" = −0.9.
        XCTAssertEqual(log10P("dog", after: ["the"]), -0.1 - 0.9, accuracy: 1e-6)
        // <s> the the: b(<s> the) + b(the) + p(the) = −0.1 − 0.2 − 0.7.
        XCTAssertEqual(log10P("the", after: ["the"]), -1.0, accuracy: 1e-6)
        // the cat </s>: listed trigram (history "<s> the cat" keeps only "the cat").
        XCTAssertEqual(log10P("</s>", after: ["the", "cat"]), -0.6, accuracy: 1e-6)
        XCTAssertEqual(lm.endScore(after: lm.state(after: ["the", "cat"])) / Self.ln10, -0.6, accuracy: 1e-6)
        // the cat dog: no trigram, b(the cat) = −0.25, no bigram "cat dog", b(cat) = −0.3, p(dog) = −1.5.
        XCTAssertEqual(log10P("dog", after: ["the", "cat"]), -0.25 - 0.3 - 1.5, accuracy: 1e-6)
        // An unknown word is <unk>; its history then is <unk> (no back-off weight listed = 0).
        XCTAssertEqual(log10P("zebra", after: []), -0.5 - 1.0, accuracy: 1e-6)
        XCTAssertEqual(log10P("the", after: ["zebra"]), -0.7, accuracy: 1e-6)
        // The history is at most order − 1 words, and only as long as a listed n-gram.
        XCTAssertEqual(lm.words(of: lm.state(after: ["the", "cat"])), ["the", "cat"])
        XCTAssertEqual(lm.words(of: lm.state(after: ["the", "cat", "dog"])), ["dog"])
        XCTAssertEqual(lm.words(of: lm.beginState), ["<s>"])
        // Whole sentence: <s> the cat </s> = −0.3 − 0.05 − 0.6.
        XCTAssertEqual(lm.sentenceLogProbability(["the", "cat"]) / Double(M_LN10), -0.95, accuracy: 1e-6)
    }

    func testScoresEqualKenLM() throws {
        struct Sentence: Decodable {
            var sentence: String
            var bos: Bool
            var words: [String]
            var log10: [Double]
            var total_log10: Double
        }
        struct File: Decodable { var sentences: [Sentence] }
        let url = Self.fixtures.appendingPathComponent("lm_kenlm_scores.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        let lm = try ARPALanguageModel(contentsOfFile: Self.fixtures.appendingPathComponent("lm_zen.arpa").path)
        XCTAssertEqual(lm.order, 3)
        XCTAssertGreaterThan(file.sentences.count, 10)
        for s in file.sentences {
            var state = s.bos ? lm.beginState : LanguageModelState(rawValue: -1)
            var ours: [Double] = []
            for word in s.words.dropLast() {
                let (p, next) = lm.score(word: lm.wordID(word) ?? lm.unknownWordID, after: state)
                ours.append(Double(p) / M_LN10)
                state = next
            }
            ours.append(Double(lm.endScore(after: state)) / M_LN10)
            // KenLM stores float log10 values and adds them in float; we store float natural logs: both
            // round at ~1e-7 relative, so 1e-5 is ample and still far below any real difference.
            XCTAssertEqual(ours.count, s.log10.count)
            for (k, (a, b)) in zip(ours, s.log10).enumerated() {
                XCTAssertEqual(a, b, accuracy: 1e-5, "'\(s.sentence)' bos=\(s.bos) word \(k) '\(s.words[k])'")
            }
            XCTAssertEqual(ours.reduce(0, +), s.total_log10, accuracy: 1e-4, s.sentence)
        }
    }

    func testAClosedVocabularyModelGetsAnUnknownWord() throws {
        let lm = try ARPALanguageModel(parsing: "\\data\\\nngram 1=2\n\n\\1-grams:\n-0.3 </s>\n-0.3 hi\n\\end\\\n")
        XCTAssertEqual(lm.vocabulary, ["</s>", "hi", "<unk>"])
        XCTAssertEqual(
            lm.score(word: lm.unknownWordID, after: lm.beginState).logProbability, -100 * Self.ln10, accuracy: 1e-3)
        // No <s>: utterances start from the empty history.
        XCTAssertEqual(lm.beginState, LanguageModelState(rawValue: -1))
    }

    func testAMissingContextIsAddedWithoutChangingProbabilities() throws {
        // "a b c" is listed but its context "a b" is not: it is added with the probability back-off gives it.
        let text = """
            \\data\\
            ngram 1=4
            ngram 2=1
            ngram 3=1
            \\1-grams:
            -0.5 a -0.1
            -0.6 b -0.2
            -0.7 c
            -0.8 </s>
            \\2-grams:
            -0.3 b c
            \\3-grams:
            -0.01 a b c
            \\end\\
            """
        let lm = try ARPALanguageModel(parsing: text)
        let a = lm.wordID("a")!, b = lm.wordID("b")!, c = lm.wordID("c")!
        let afterA = lm.score(word: a, after: LanguageModelState(rawValue: -1)).state
        let (pb, afterAB) = lm.score(word: b, after: afterA)
        XCTAssertEqual(pb / Self.ln10, -0.1 - 0.6, accuracy: 1e-6)  // b(a) + p(b), as without the added entry
        XCTAssertEqual(lm.score(word: c, after: afterAB).logProbability / Self.ln10, -0.01, accuracy: 1e-6)
        XCTAssertEqual(lm.counts, [4, 1, 1])
    }

    func testWindowsLineEndsAndTabs() throws {
        let text = Self.tiny.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try ARPALanguageModel(parsing: text), try ARPALanguageModel(parsing: Self.tiny))
    }

    // MARK: - Errors: each names the file and the line

    func assertError(
        _ text: String, line: Int, _ reason: ARPAError.Reason, file: StaticString = #filePath,
        line testLine: UInt = #line
    ) {
        XCTAssertThrowsError(try ARPALanguageModel(parsing: text, name: "bad.arpa"), file: file, line: testLine) {
            error in
            guard let error = error as? ARPAError else {
                return XCTFail("not an ARPAError: \(error)", file: file, line: testLine)
            }
            XCTAssertEqual(error.reason, reason, file: file, line: testLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.file, "bad.arpa", file: file, line: testLine)
            XCTAssertTrue(
                error.description.hasPrefix("bad.arpa:\(line): "), error.description, file: file, line: testLine)
        }
    }

    static let good = [
        "\\data\\", "ngram 1=2", "ngram 2=1", "", "\\1-grams:", "-0.5 a -0.1", "-0.5 </s>", "",
        "\\2-grams:", "-0.2 a </s>", "", "\\end\\",
    ]

    func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    func testTheGoodFileParses() throws {
        XCTAssertNoThrow(try ARPALanguageModel(parsing: text(Self.good)))
    }

    func testMissingHeader() {
        assertError(text(Array(Self.good.dropFirst(4))), line: 1, .missingHeader)
        assertError("just some words\n\n", line: 2, .missingHeader)
        assertError("", line: 1, .missingHeader)
    }

    func testBadCountLine() {
        var lines = Self.good
        lines[2] = "ngram 2=two"
        assertError(text(lines), line: 3, .badCountLine("ngram 2=two"))
        lines[2] = "ngram 3=1"  // orders must be 1, 2, …
        assertError(text(lines), line: 3, .badCountLine("ngram 3=1"))
        lines[2] = "grams 2=1"
        assertError(text(lines), line: 3, .badCountLine("grams 2=1"))
    }

    func testCountMismatch() {
        var lines = Self.good
        lines[1] = "ngram 1=3"
        assertError(text(lines), line: 9, .countMismatch(order: 1, declared: 3, found: 2))
        lines = Self.good
        lines[2] = "ngram 2=2"
        assertError(text(lines), line: 12, .countMismatch(order: 2, declared: 2, found: 1))
        // A declared order whose section never comes.
        lines = Self.good
        lines.insert("ngram 3=4", at: 3)
        assertError(text(lines), line: 13, .countMismatch(order: 3, declared: 4, found: 0))
    }

    func testBadNumber() {
        var lines = Self.good
        lines[5] = "-0.5x a -0.1"
        assertError(text(lines), line: 6, .badNumber("-0.5x"))
        lines = Self.good
        lines[5] = "-0.5 a nan"
        assertError(text(lines), line: 6, .badNumber("nan"))
    }

    func testWrongNumberOfWords() {
        var lines = Self.good
        lines[9] = "-0.2 a"
        assertError(text(lines), line: 10, .wrongWordCount(order: 2, found: 1))
        lines[9] = "-0.2 a </s> -0.1"  // a back-off on the highest order
        assertError(text(lines), line: 10, .wrongWordCount(order: 2, found: 3))
        lines = Self.good
        lines[5] = "-0.5"
        assertError(text(lines), line: 6, .wrongWordCount(order: 1, found: 0))
    }

    func testUnknownSection() {
        var lines = Self.good
        lines[8] = "\\3-grams:"
        assertError(text(lines), line: 9, .unknownSection("\\3-grams:"))
        lines[8] = "\\bigrams:"
        assertError(text(lines), line: 9, .unknownSection("\\bigrams:"))
    }

    func testMissingEnd() {
        assertError(text(Array(Self.good.dropLast())), line: 11, .missingEnd)
        assertError("\\data\\\nngram 1=1\n", line: 2, .missingEnd)
    }

    func testDuplicateAndUnknownWords() {
        var lines = Self.good
        lines[6] = "-0.5 a"
        assertError(text(lines), line: 7, .duplicateNGram("a"))
        lines = Self.good
        lines[9] = "-0.2 a b"
        assertError(text(lines), line: 10, .wordNotInUnigrams("b"))
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try ARPALanguageModel(contentsOfFile: "/nonexistent/lm.arpa")) { error in
            let e = error as! ARPAError
            XCTAssertEqual(e.file, "/nonexistent/lm.arpa")
            guard case .unreadable = e.reason else { return XCTFail("\(e)") }
        }
    }
}
