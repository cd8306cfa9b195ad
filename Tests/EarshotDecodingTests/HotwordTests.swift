import Foundation
import XCTest

@testable import EarshotDecoding

/// Hotwords: a boost recovers a rare word (with and without a language model that does not know it), and the
/// bonus is held per character, settled on completion at a word boundary, and given back when the match breaks.
final class HotwordTests: XCTestCase {
    /// "kat" vs "cat": the first frame says c (0.55) over k (0.4).
    static let catOrKat = Posteriors.frames("_", [("c", 0.55), ("k", 0.4)], "_a_t_")

    func decode(_ values: [Float], _ hotwords: Hotwords, languageModel: (any LanguageModel)? = nil) throws
        -> DecodingResult
    {
        try BeamSearchDecoder(languageModel: languageModel, hotwords: hotwords)
            .decode(values, frameCount: values.count / 29, vocabularySize: 29)
    }

    func testAHotwordRecoversARareWord() throws {
        XCTAssertEqual(try decode(Self.catOrKat, .none).text, "cat")
        let boosted = try decode(Self.catOrKat, Hotwords(["kat"]))
        XCTAssertEqual(boosted.text, "kat")
        XCTAssertEqual(boosted.best.hotwordScore, 3 * Hotwords.defaultBoost, accuracy: 1e-5)
        XCTAssertEqual(boosted.best.score, boosted.best.acousticScore + boosted.best.hotwordScore, accuracy: 1e-4)
        // Other hotwords, or a boost too small for the acoustic gap (ln 0.55/0.4 ≈ 0.32 over 3 characters), do not.
        XCTAssertEqual(try decode(Self.catOrKat, Hotwords(["katie", "dog"])).text, "cat")
        XCTAssertEqual(try decode(Self.catOrKat, Hotwords(["kat"], boost: 0.05)).text, "cat")
    }

    func testAHotwordTheLanguageModelDoesNotKnow() throws {
        var counts = NGramCounts(order: 2)
        counts.add(text: "the cat sat\nthe cat\na cat sat on the mat")
        let lm = try counts.kneserNeyLanguageModel()
        XCTAssertNil(lm.wordID("kat"))
        let values = Posteriors.clean("_t_h_e_ _") + Self.catOrKat
        XCTAssertEqual(try decode(values, .none, languageModel: lm).text, "the cat")
        // "kat" is scored as <unk> but gets no unknown-word penalty; a boost of 4 nats per character wins.
        let result = try decode(values, Hotwords(["kat"], boost: 4), languageModel: lm)
        XCTAssertEqual(result.text, "the kat")
        XCTAssertEqual(result.best.hotwordScore, 12, accuracy: 1e-5)
    }

    func testBonusAccounting() throws {
        // A small boost, so that no bonus outweighs a clean frame's evidence (ln(0.95 · 28 / 0.05) ≈ 6.3 nats).
        let b: Float = 0.5
        func score(_ path: String, _ phrases: [String]) throws -> (String, Float) {
            let result = try decode(Posteriors.clean(path), Hotwords(phrases, boost: b))
            return (result.text, result.best.hotwordScore)
        }
        // A phrase counts its space: 8 characters.
        XCTAssertEqual(try score("_new_ _york_ _city_", ["new york"]).1, 8 * b, accuracy: 1e-5)
        // "new york" breaks in "yorker": the completed "new" is kept, the rest given back.
        let (text, kept) = try score("_new_ _yorker_", ["new", "new york"])
        XCTAssertEqual(text, "new yorker")
        XCTAssertEqual(kept, 3 * b, accuracy: 1e-5)
        // Without "new" alone, nothing is kept.
        XCTAssertEqual(try score("_new_ _yorker_", ["new york"]).1, 0)
        // Matches start at word starts only; a prefix at the end of the utterance is given back.
        XCTAssertEqual(try score("_concatenate_", ["cat"]).1, 0)
        XCTAssertEqual(try score("_the_ _kat_", ["katie"]).1, 0)
        // Each occurrence counts.
        XCTAssertEqual(try score("_cat_ _and_ _cat_", ["cat"]).1, 6 * b, accuracy: 1e-5)
        // Per-hotword boosts: the larger one holds along a shared prefix.
        let hotwords = try Hotwords(entries: [.init(phrase: "cab", boost: 0.5), .init(phrase: "cat", boost: 1)])
        XCTAssertEqual(try decode(Posteriors.clean("_cab_"), hotwords).best.hotwordScore, 2 * 1 + 0.5, accuracy: 1e-5)
    }

    /// While matching, the bonus held is boost × characters up to `holdLimit`; a completed hotword settles its
    /// whole bonus; a match that breaks gives everything back.
    func testTheHeldBonusIsLimitedAndTheSettledOneIsNot() throws {
        let decoder = try BeamSearchDecoder(hotwords: Hotwords(["earshot"], boost: 1.5, holdLimit: 5))
        let alphabet = Alphabet.english
        var state = decoder.initialState
        var held: [Float] = []
        for c in "earshot" {
            state = decoder.advance(state, by: alphabet.index(of: c)!)
            held.append(state.score)
        }
        XCTAssertEqual(held, [1.5, 3, 4.5, 5, 5, 5, 5])
        XCTAssertEqual(decoder.finish(state).hotSettled, 7 * 1.5, accuracy: 1e-5)
        let spaced = decoder.advance(state, by: alphabet.index(of: " ")!)
        XCTAssertEqual(spaced.score, 7 * 1.5, accuracy: 1e-5)
        let broken = decoder.advance(state, by: alphabet.index(of: "s")!)  // "earshots"
        XCTAssertEqual(broken.score, 0)
        XCTAssertThrowsError(try Hotwords(["a"], holdLimit: -1))
    }

    func testHotwordsAreCleanedAndValidated() throws {
        let hotwords = try Hotwords(["  new   york ", "cat"])
        XCTAssertEqual(hotwords.entries.map(\.phrase), ["new york", "cat"])
        XCTAssertThrowsError(try Hotwords(["café"])) { error in
            XCTAssertEqual(error as? Hotwords.Error, .characterOutsideAlphabet(phrase: "café", character: "é"))
        }
        XCTAssertThrowsError(try Hotwords(["  "])) { XCTAssertEqual($0 as? Hotwords.Error, .empty) }
        let other = try Hotwords(["ab"], alphabet: Alphabet(characters: ["a", "b"]))
        XCTAssertThrowsError(try BeamSearchDecoder(hotwords: other))
        XCTAssertTrue(Hotwords.none.isEmpty)
    }
}
