import Foundation
import XCTest

@testable import EarshotDecoding

/// Counting, the modified Kneser–Ney estimate (by hand on a tiny corpus), normalisation of the written ARPA
/// model (Σ_w P(w | h) = 1 for many histories), and the round trip through the ARPA parser.
final class NGramCountsTests: XCTestCase {
    /// A small corpus with repeated phrases, so that the trigrams' counts-of-counts (31, 12, 5, 3) give valid
    /// modified discounts (0.56, 1.30, 1.65).
    static let corpus = """
        the cat sat on the mat
        the dog sat on the log
        the cat saw the dog
        a dog saw a cat
        the cat sat
        the dog sat on the mat
        a cat sat on a log
        the mat was on the log
        the cat and the dog sat on the mat
        a dog and a cat saw the log
        the dog saw the cat
        on the mat the cat sat
        a cat saw the dog
        the dog and the cat
        a log was on the mat
        the cat saw a log
        """

    func testCountsPadSentences() {
        var counts = NGramCounts(order: 3)
        counts.add(line: "a b")
        counts.add(line: "   ")  // empty: skipped
        counts.add(line: "a\ta")
        XCTAssertEqual(counts.sentenceCount, 2)
        XCTAssertEqual(counts.wordCount, 4)
        XCTAssertEqual(counts.vocabulary, ["<unk>", "<s>", "</s>", "a", "b"])
        XCTAssertEqual(counts.count(of: ["a"]), 3)
        XCTAssertEqual(counts.count(of: ["<s>"]), 2)
        XCTAssertEqual(counts.count(of: ["</s>"]), 2)
        XCTAssertEqual(counts.count(of: ["<s>", "a"]), 2)
        XCTAssertEqual(counts.count(of: ["a", "a"]), 1)
        XCTAssertEqual(counts.count(of: ["<s>", "a", "b"]), 1)
        XCTAssertEqual(counts.count(of: ["a", "b", "</s>"]), 1)
        XCTAssertEqual(counts.count(of: ["b", "a"]), 0)
        XCTAssertEqual(counts.count(of: ["a", "b", "</s>", "x"]), 0)
        XCTAssertEqual(counts.distinctCounts, [4, 5, 4])
    }

    /// Corpus "a b", "a a", "b", bigrams. Adjusted unigram counts (continuation): a 2, b 2, </s> 2. Both orders
    /// lack counts of 3 or 4, so they fall back to D = (0.5, 1, 1.5). Unigrams: S = 6, γ(ε) = 1·3/6 = 0.5 over
    /// V′ = {a, b, </s>, <unk>}: p(a) = (2 − 1)/6 + 0.5/4 = 7/24, p(<unk>) = 1/8. Bigrams after <s> (a: 2, b: 1):
    /// γ = (1 + 0.5)/3 = 1/2, P(a | <s>) = 1/3 + ½·7/24 = 23/48, P(b | <s>) = 0.5/3 + ½·7/24 = 5/16, and an unseen
    /// P(</s> | <s>) = ½·7/24 = 7/48. After b (</s>: 2): γ = 1/2, P(</s> | b) = 1/2 + 7/48 = 31/48.
    func testKneserNeyByHand() throws {
        var counts = NGramCounts(order: 2)
        for line in ["a b", "a a", "b"] { counts.add(line: line) }
        XCTAssertEqual(counts.kneserNeyDiscounts(), [.fallback, .fallback])
        let lm = try counts.kneserNeyLanguageModel()
        func p(_ word: String, _ history: [String]) -> Double {
            let state = history == ["<none>"] ? LanguageModelState(rawValue: -1) : lm.state(after: history)
            return exp(Double(lm.score(word: lm.wordID(word)!, after: state).logProbability))
        }
        // Values are written with Float's shortest decimal of log10: relative error ~1e-7.
        let empty = ["<none>"]
        XCTAssertEqual(p("a", empty), 7 / 24, accuracy: 1e-6)
        XCTAssertEqual(p("</s>", empty), 7 / 24, accuracy: 1e-6)
        XCTAssertEqual(p("<unk>", empty), 1 / 8, accuracy: 1e-6)
        XCTAssertEqual(p("a", []), 23 / 48, accuracy: 1e-6)
        XCTAssertEqual(p("b", []), 5 / 16, accuracy: 1e-6)
        XCTAssertEqual(p("</s>", []), 7 / 48, accuracy: 1e-6)
        XCTAssertEqual(p("</s>", ["b"]), 31 / 48, accuracy: 1e-6)
        XCTAssertEqual(p("b", ["a"]), 5 / 16, accuracy: 1e-6)
        // <s> is never predicted.
        XCTAssertLessThan(
            lm.score(word: lm.wordID("<s>")!, after: LanguageModelState(rawValue: -1)).logProbability, -200)
    }

    /// The modified discounts are Chen & Goodman's formula on each order's counts-of-counts.
    func testModifiedDiscountsFollowTheCountsOfCounts() throws {
        var counts = NGramCounts(order: 3)
        counts.add(text: Self.corpus)
        let adjusted = counts.adjustedCounts()
        let discounts = counts.kneserNeyDiscounts()
        for (order, a) in adjusted.enumerated() {
            var t = [Double](repeating: 0, count: 5)
            for (g, c) in a where c <= 4 && !(order == 0 && g == [NGramCounts.startID]) { t[c] += 1 }
            let y = t[1] / (t[1] + 2 * t[2])
            let expected = [1 - 2 * y * t[2] / t[1], 2 - 3 * y * t[3] / t[2], 3 - 4 * y * t[4] / t[3]]
            if expected.enumerated().allSatisfy({ $1.isFinite && $1 >= 0 && $1 <= Double($0 + 1) }) {
                XCTAssertFalse(discounts[order].isFallback, "order \(order + 1)")
                XCTAssertEqual(discounts[order].d1, expected[0], accuracy: 1e-12)
                XCTAssertEqual(discounts[order].d2, expected[1], accuracy: 1e-12)
                XCTAssertEqual(discounts[order].d3Plus, expected[2], accuracy: 1e-12)
            } else {
                XCTAssertEqual(discounts[order], .fallback, "order \(order + 1)")
            }
        }
        XCTAssertFalse(discounts[2].isFallback, "the corpus is meant to give real trigram discounts")
        // Continuation counts: "cat" follows the, a (2 distinct words); "<s> the" keeps its raw count.
        XCTAssertEqual(adjusted[0][[counts.vocabulary.firstIndex(of: "cat").map(Int32.init)!]], 2)
        XCTAssertEqual(adjusted[1][[NGramCounts.startID, Int32(counts.vocabulary.firstIndex(of: "the")!)]], 10)
    }

    /// Σ_w P(w | h) over the vocabulary (every word but <s>) is 1 for seen, partly seen and unseen histories,
    /// with the ARPA file read back through our parser: the back-off weights are exactly normalising. The
    /// tolerance, 1e-4, covers the 7–8 significant digits of the written log10 values summed over ~20 words.
    func testWrittenModelIsNormalisedForEveryHistory() throws {
        for order in [1, 2, 3, 4] {
            var counts = NGramCounts(order: order)
            counts.add(text: Self.corpus)
            let lm = try counts.kneserNeyLanguageModel()
            XCTAssertEqual(lm.order, order)
            let histories: [[String]] = [
                [], ["the"], ["the", "cat"], ["cat", "sat", "on"], ["on", "the"], ["sat"], ["dog", "and"],
                ["zebra"], ["the", "zebra"], ["mat", "the", "cat"], ["log", "log", "log"],
            ]
            var states = histories.map { lm.state(after: $0) }
            states.append(LanguageModelState(rawValue: -1))
            for (h, state) in zip(histories.map { $0.joined(separator: " ") } + ["(empty)"], states) {
                var total = 0.0
                for (id, word) in lm.vocabulary.enumerated() where word != "<s>" {
                    total += exp(Double(lm.score(word: Int32(id), after: state).logProbability))
                }
                XCTAssertEqual(total, 1, accuracy: 1e-4, "order \(order), history '\(h)'")
            }
        }
    }

    func testARPAFileRoundTrip() throws {
        var counts = NGramCounts(order: 3)
        counts.add(text: Self.corpus)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-kn-\(UUID().uuidString).arpa")
        defer { try? FileManager.default.removeItem(at: url) }
        try counts.writeARPA(toFile: url.path)
        let lm = try ARPALanguageModel(contentsOfFile: url.path)
        // Every counted n-gram is listed, plus <unk> (never seen) among the unigrams.
        XCTAssertEqual(lm.counts, [counts.distinctCounts[0] + 1] + counts.distinctCounts.dropFirst())
        XCTAssertEqual(Set(lm.vocabulary), Set(counts.vocabulary))
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("\\data\\\nngram 1="))
        XCTAssertTrue(text.contains("-99\t<s>\t"))
        XCTAssertTrue(text.hasSuffix("\\end\\\n"))
        // A frequent phrase beats a scrambled one.
        XCTAssertGreaterThan(
            lm.sentenceLogProbability(["the", "cat", "sat", "on", "the", "mat"]),
            lm.sentenceLogProbability(["mat", "the", "on", "sat", "cat", "the"]) + 5)
    }

    func testEmptyCorpusStillMakesAValidModel() throws {
        let lm = try NGramCounts(order: 2).kneserNeyLanguageModel()
        XCTAssertEqual(Set(lm.vocabulary), ["<unk>", "<s>", "</s>"])
        XCTAssertEqual(exp(Double(lm.endScore(after: lm.beginState))), 0.5, accuracy: 1e-6)
    }
}
