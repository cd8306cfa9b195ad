import EarshotDecoding
import Foundation
import XCTest

/// This normaliser and its Python twin (`Scripts/text_normalizer.py`, which the scripts use for the corpus
/// transcripts, the LM text and the peers' WER) on the same strings: `Fixtures/text_normalizer_twin.json`
/// holds the twin's spoken form and normalised text of each case (written by
/// `Scripts/fixtures/make_text_normalizer_fixtures.py`, checked on the Python side by
/// `Scripts/test_text_normalizer.py`), and both must come out the same here.
final class TextNormalizerTwinTests: XCTestCase {
    struct Case: Decodable {
        let text: String
        let spoken: String
        let normalized: String
    }

    struct Fixture: Decodable {
        let cases: [Case]
    }

    func testSameOutputAsThePythonTwin() throws {
        let url = AsteriskTranscriptTests.fixtures.appendingPathComponent("text_normalizer_twin.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 700, "cases in text_normalizer_twin.json")
        let normalizer = TextNormalizer()
        var differences: [String] = []
        for c in fixture.cases {
            let spoken = normalizer.spokenForm(c.text), normalized = normalizer.normalize(c.text)
            // String's ==: canonical equivalence (the twin NFC-composes, this keeps the input's scalars).
            if spoken != c.spoken || normalized != c.normalized {
                differences.append(
                    "  \(c.text.debugDescription)\n    Swift:  \(spoken.debugDescription) → \(normalized.debugDescription)"
                        + "\n    Python: \(c.spoken.debugDescription) → \(c.normalized.debugDescription)")
            }
        }
        XCTAssert(differences.isEmpty, "\(differences.count) cases differ:\n" + differences.joined(separator: "\n"))
    }
}
