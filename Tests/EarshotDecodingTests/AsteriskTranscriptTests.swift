import EarshotDecoding
import Foundation
import XCTest

/// The normaliser against the project's own normalised transcripts: `normalize(raw_transcript)` must equal
/// `normalized_transcript` on at least 98% of the lines of both Asterisk TSVs (copies of `data/*.tsv`, see
/// Fixtures/README.md). The few lines allowed to differ are those whose normalised column also corrects a
/// spelling mistake of the raw text (`fourtieth` → `fortieth`), which no normaliser should do.
final class AsteriskTranscriptTests: XCTestCase {
    /// The fixtures folder, found from this file's path: the target declares no resources, and the tests
    /// run from the package's checkout.
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// (line number, raw, normalised) of each transcript line of a TSV with the columns package_path,
    /// raw_transcript, normalized_transcript.
    static func transcripts(_ name: String) throws -> [(line: Int, raw: String, normalized: String)] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        var rows: [(Int, String, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i > 0 {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 3 else { continue }
            rows.append((i + 1, String(columns[1]), String(columns[2])))
        }
        return rows
    }

    /// Lines whose normalised column fixes a spelling mistake of the raw text, so no normaliser reproduces
    /// it: file → line numbers (1-based, header = line 1) and the fix.
    static let spellingFixes: [String: [Int: String]] = [
        "asterisk_train.tsv": [299: "thru → through", 307: "represenatives → representatives"],
        "asterisk_test.tsv": [
            6: "umute → unmute", 35: "fourtieth → fortieth", 63: "exclaimation → exclamation",
            91: "Un-indentified or witheld → unidentified or withheld",
        ],
    ]

    /// Normalises every raw transcript of both files; fails when fewer than 98% of all lines match
    /// exactly, or when any line other than the known spelling fixes differs. Failures list the lines.
    func testNormalizerReproducesNormalizedColumn() throws {
        let normalizer = TextNormalizer()
        var total = 0, exact = 0
        var unexpected: [String] = []
        for name in ["asterisk_train.tsv", "asterisk_test.tsv"] {
            let rows = try Self.transcripts(name)
            XCTAssertEqual(rows.count, name == "asterisk_train.tsv" ? 434 : 111, "transcript lines in \(name)")
            var fileExact = 0
            for row in rows {
                let got = normalizer.normalize(row.raw)
                if got == row.normalized {
                    fileExact += 1
                } else if Self.spellingFixes[name]?[row.line] == nil {
                    unexpected.append(
                        "  \(name):\(row.line): \(row.raw)\n    got:      \(got)\n    expected: \(row.normalized)")
                }
            }
            print("\(name): \(fileExact)/\(rows.count) lines normalised exactly")
            total += rows.count
            exact += fileExact
        }
        let rate = Double(exact) / Double(max(total, 1))
        print("both files: \(exact)/\(total) (\(rate * 100)%)")
        XCTAssertGreaterThanOrEqual(rate, 0.98, "only \(exact) of \(total) lines match")
        XCTAssert(unexpected.isEmpty, "lines that differ:\n" + unexpected.joined(separator: "\n"))
    }
}
