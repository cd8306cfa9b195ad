import EarshotTraining
import Foundation
import XCTest

/// WER/CER against jiwer (`Fixtures/jiwer.json`, made by `Scripts/fixtures/make_jiwer_fixtures.py`): the
/// S/D/I/H counts must be equal, not only the rates, and the rates equal to 1e-9 (both sides divide the
/// same integers in double precision, so they agree exactly; the tolerance only absorbs JSON printing).
final class ErrorRateTests: XCTestCase {
    struct Counts: Decodable {
        var hits, substitutions, deletions, insertions: Int
        var wer: Double?
        var cer: Double?
        var edit: EditCounts {
            EditCounts(hits: hits, substitutions: substitutions, deletions: deletions, insertions: insertions)
        }
    }
    struct Utterance: Decodable { var words: Counts; var characters: Counts }
    struct Case: Decodable {
        var name: String
        var references: [String]
        var hypotheses: [String]
        var words: Counts
        var characters: Counts
        var utterances: [Utterance]
    }
    struct Fixture: Decodable { var jiwer: String; var cases: [Case] }

    static func loadFixture() throws -> Fixture {
        let url = Bundle.module.url(forResource: "Fixtures/jiwer", withExtension: "json")!
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    let tolerance = 1e-9

    func testCorpusCountsAndRatesMatchJiwer() throws {
        let fixture = try Self.loadFixture()
        XCTAssertGreaterThan(fixture.cases.count, 20)
        for c in fixture.cases {
            var scores = ErrorRateAccumulator()
            for (reference, hypothesis) in zip(c.references, c.hypotheses) {
                scores.add(reference: reference, hypothesis: hypothesis)
            }
            XCTAssertEqual(scores.utteranceCount, c.references.count)
            XCTAssertEqual(scores.words, c.words.edit, "\(c.name): word counts (H, S, D, I)")
            XCTAssertEqual(scores.characters, c.characters.edit, "\(c.name): character counts (H, S, D, I)")
            XCTAssertEqual(scores.wer, c.words.wer!, accuracy: tolerance, "\(c.name): WER")
            XCTAssertEqual(scores.cer, c.characters.cer!, accuracy: tolerance, "\(c.name): CER")
            XCTAssertEqual(scores.referenceWordCount, c.words.edit.referenceLength)
            XCTAssertEqual(scores.referenceCharacterCount, c.characters.edit.referenceLength)
        }
    }

    func testUtteranceCountsMatchJiwer() throws {
        for c in try Self.loadFixture().cases {
            for (k, expected) in c.utterances.enumerated() {
                let result = UtteranceErrors(reference: c.references[k], hypothesis: c.hypotheses[k])
                let label = "\(c.name) #\(k): \"\(c.references[k])\" / \"\(c.hypotheses[k])\""
                XCTAssertEqual(result.words, expected.words.edit, "\(label): words")
                XCTAssertEqual(result.characters, expected.characters.edit, "\(label): characters")
                XCTAssertEqual(result.wer, expected.words.wer!, accuracy: tolerance, label)
                XCTAssertEqual(result.cer, expected.characters.cer!, accuracy: tolerance, label)
            }
        }
    }

    /// The analytic cases, stated by hand.
    func testSmallCasesByHand() {
        let u = UtteranceErrors(reference: "press one for sales", hypothesis: "press two for sales now")
        XCTAssertEqual(u.words, EditCounts(hits: 3, substitutions: 1, deletions: 0, insertions: 1))
        XCTAssertEqual(u.wer, 0.5)
        let empty = UtteranceErrors(reference: "", hypothesis: "")
        XCTAssertEqual(empty.wer, 0)
        XCTAssertEqual(empty.cer, 0)
        XCTAssertEqual(
            UtteranceErrors(reference: "", hypothesis: "a b").wer, 2, "jiwer: an empty reference's rate is I")
        XCTAssertEqual(UtteranceErrors(reference: "a b", hypothesis: "").wer, 1)
        XCTAssertEqual(UtteranceErrors.characters(of: "  a  b "), Array("a  b".unicodeScalars))
        XCTAssertEqual(UtteranceErrors.words(of: " a \t b  "), ["a", "b"])
    }
}
