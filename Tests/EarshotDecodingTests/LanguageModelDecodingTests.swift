import Foundation
import XCTest

@testable import EarshotDecoding

/// The beam search with a word language model: the model flips an acoustic near-tie toward an in-vocabulary
/// word, its scores are exactly α · Σ ln P + β · words (+ penalties), and the search still matches its naive twin.
final class LanguageModelDecodingTests: XCTestCase {
    static let corpus = """
        the cat sat on the mat
        the cat saw the dog
        a dog sat on a log
        the dog saw the cat
        """

    static func model(order: Int = 3) throws -> ARPALanguageModel {
        var counts = NGramCounts(order: order)
        counts.add(text: corpus)
        return try counts.kneserNeyLanguageModel()
    }

    func testTheLanguageModelFlipsANearTieTowardAKnownWord() throws {
        // "the ?at": the first letter of the second word is k (0.5) or c (0.4): acoustically "the kat".
        let values = Posteriors.frames("_t_h_e_ _", [("k", 0.5), ("c", 0.4)], "_a_t_")
        let frames = values.count / 29
        XCTAssertEqual(try BeamSearchDecoder().decode(values, frameCount: frames, vocabularySize: 29).text, "the kat")
        let lm = try Self.model()
        let result = try BeamSearchDecoder(languageModel: lm).decode(values, frameCount: frames, vocabularySize: 29)
        XCTAssertEqual(result.text, "the cat")
        XCTAssertLessThan(
            result.best.acousticScore,
            try BeamSearchDecoder(options: nBest(5)).decode(
                values, frameCount: frames, vocabularySize: 29
            ).hypotheses.first { $0.text == "the kat" }!.acousticScore)
    }

    func testLanguageModelScoreIsAlphaTimesLogProbabilityPlusBetaPerWord() throws {
        let lm = try Self.model()
        var options = BeamSearchOptions()
        options.languageModelWeight = 0.7
        options.wordBonus = 1.3
        let decoder = try BeamSearchDecoder(options: options, languageModel: lm)
        let expected = 0.7 * Float(lm.sentenceLogProbability(["the", "cat", "sat"])) + 3 * 1.3
        for path in ["_the_ _cat_ _sat__", "_the_ _cat_ _sat_ _", " _the_ _ cat_ _sat_"] {
            let values = Posteriors.clean(path)
            let result = decoder.decode(values, frameCount: values.count / 29, vocabularySize: 29)
            XCTAssertEqual(result.text, "the cat sat", path)
            XCTAssertEqual(result.best.languageModelScore, expected, accuracy: 1e-4, path)
            XCTAssertEqual(
                result.best.score, result.best.acousticScore + result.best.languageModelScore, accuracy: 1e-4)
        }
    }

    func testAnUnknownWordIsScoredAsUnknownAndPenalisedOnce() throws {
        let lm = try Self.model()
        var options = BeamSearchOptions()
        options.unknownWordPenalty = -4
        let decoder = try BeamSearchDecoder(options: options, languageModel: lm)
        // "zebra" leaves the vocabulary at its first letter; "ca" is a prefix of "cat" but not a word, so it is
        // penalised when it ends.
        for (path, words) in [("_the_ _zebra_", ["the", "zebra"]), ("_the_ _ca_", ["the", "ca"])] {
            let values = Posteriors.clean(path)
            let result = decoder.decode(values, frameCount: values.count / 29, vocabularySize: 29)
            XCTAssertEqual(result.text, words.joined(separator: " "))
            let expected = 0.5 * Float(lm.sentenceLogProbability(words)) + 2 * 1.0 - 4
            XCTAssertEqual(result.best.languageModelScore, expected, accuracy: 1e-4, path)
        }
    }

    func testAnInfinitePenaltyKeepsToTheVocabulary() throws {
        let lm = try Self.model()
        var options = BeamSearchOptions()
        options.unknownWordPenalty = -.infinity
        // Acoustically "the kat sat" (k: 0.6, c: 0.3); "kat" is not a word, so the only way out is "cat".
        let values = Posteriors.frames("_t_h_e_ _", [("k", 0.6), ("c", 0.3)], "_a_t_ _s_a_t_")
        let result = try BeamSearchDecoder(options: options, languageModel: lm)
            .decode(values, frameCount: values.count / 29, vocabularySize: 29)
        XCTAssertEqual(result.text, "the cat sat")
    }

    /// The fast search and its naive twin with a language model and hotwords (the cached word-boundary nodes,
    /// the prefix states, the ranking with LM scores), on random posteriors biased toward corpus words.
    func testMatchesTheNaiveTwinWithLanguageModelAndHotwords() throws {
        let lm = try Self.model()
        let hotwords = try Hotwords(entries: [
            .init(phrase: "cat", boost: 1.5), .init(phrase: "dog sat", boost: 1), .init(phrase: "zebra", boost: 3),
        ])
        for (index, (width, penalty)) in [(8, Float(-10)), (32, -3), (16, -.infinity)].enumerated() {
            var options = BeamSearchOptions()
            options.beamWidth = width
            options.unknownWordPenalty = penalty
            options.nBest = 5
            options.blankSkipThreshold = index == 1 ? 2 : 0.999
            let decoder = try BeamSearchDecoder(options: options, languageModel: lm, hotwords: hotwords)
            for seed in 1...6 {
                let values = Posteriors.noisy(text: "the cat sat on a dog zebra mat", seed: UInt64(10 * index + seed))
                let frames = values.count / 29
                let fast = decoder.decode(values, frameCount: frames, vocabularySize: 29)
                let naive = decoder.decodeReference(values, frameCount: frames, vocabularySize: 29)
                assertSameHypotheses(fast, naive, "variant \(index) seed \(seed)")
                XCTAssertFalse(fast.hypotheses.isEmpty)
            }
        }
    }

    /// The search drops a candidate when `scoreBound` says it cannot make the cut, so the bound must never be
    /// below the real prefix score, and for letters it is used as the score itself: check both along random
    /// label sequences, with and without a language model and hotwords.
    func testScoreBoundIsExactForLettersAndAnUpperBoundForSpaces() throws {
        let lm = try Self.model()
        let hotwords = try Hotwords(entries: [.init(phrase: "cat", boost: 1.5), .init(phrase: "dog sat", boost: 0.7)])
        let alphabet = Alphabet.english
        let pieces = ["the", "cat", "dog", "sat", "ca", "do", "zebra", "dog", "sat", "x", "", "on"]
        for (lmOn, hotOn) in [(true, true), (true, false), (false, true)] {
            let decoder = try BeamSearchDecoder(languageModel: lmOn ? lm : nil, hotwords: hotOn ? hotwords : .none)
            var state = decoder.initialState
            var seed: UInt64 = 7
            for _ in 0..<400 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let piece = pieces[Int(seed >> 33) % pieces.count]
                for label in alphabet.encode(piece)! + [alphabet.index(of: " ")!] {
                    let next = decoder.advance(state, by: label)
                    let bound = decoder.scoreBound(state, by: label)
                    // The two add the same terms in another order: a few ULPs of scores that reach −1000 here.
                    let ulps = 4 * abs(next.score).ulp + 1e-6
                    if label == decoder.separator {
                        XCTAssertGreaterThanOrEqual(bound + ulps, next.score, "lm \(lmOn) hot \(hotOn) '\(piece) '")
                    } else {
                        XCTAssertEqual(bound, next.score, accuracy: ulps, "lm \(lmOn) hot \(hotOn) '\(piece)'")
                    }
                    state = next
                }
            }
        }
    }

    func nBest(_ n: Int) -> BeamSearchOptions {
        var o = BeamSearchOptions()
        o.nBest = n
        return o
    }
}

/// Hand-made log-posteriors (T, 29) over the English alphabet.
enum Posteriors {
    static let alphabet = Alphabet.english

    /// One frame: the given symbols (`_` = blank) with their probabilities, the rest shared by the others.
    static func frame(_ symbols: [(Character, Double)]) -> [Float] {
        let rest = max(1e-6, 1 - symbols.map(\.1).reduce(0, +)) / Double(29 - symbols.count)
        var row = [Float](repeating: Float(log(rest)), count: 29)
        for (c, p) in symbols { row[c == "_" ? 0 : alphabet.index(of: c)!] = Float(log(p)) }
        return row
    }

    /// A path with one winner (0.95) per frame.
    static func clean(_ path: String) -> [Float] {
        path.flatMap { frame([($0, 0.95)]) }
    }

    /// A clean path, one ambiguous frame, and another clean path.
    static func frames(_ before: String, _ ambiguous: [(Character, Double)], _ after: String) -> [Float] {
        clean(before) + frame(ambiguous) + clean(after)
    }

    /// `text` rendered as 2 frames per character with blanks between, then seeded noise that makes
    /// neighbouring letters and the blank compete, log-softmaxed.
    static func noisy(text: String, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func uniform() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        var logits: [Float] = []
        for c in text {
            for k in 0..<3 {
                var row = (0..<29).map { _ in 2 * uniform() }
                let target = k == 2 ? 0 : alphabet.index(of: c)!
                row[target] += 3 + 2 * uniform()
                row[1 + Int(uniform() * 28)] += 2.5 * uniform()
                logits += row
            }
        }
        return logSoftmax(logits, 29)
    }
}
