import Foundation
import XCTest

@testable import EarshotDecoding

/// The ARPA parser's fast paths against their naive twins: decimal numbers against `strtod`, the byte-keyed word
/// index against a `[String: Int32]` dictionary, and a whole file against a reference reading of it.
final class ARPAParsingFastPathTests: XCTestCase {
    /// `plainDecimal` must give the very double `strtod` gives (bit for bit) whenever it answers at all, and answer
    /// for every value an ARPA writer prints (`-1.234567`).
    func testPlainDecimalEqualsStrtod() {
        var generator = SystemRandomNumberGenerator()
        var fields = [
            "0", "-0", "+1", "1.", ".5", "-.5", "-99", "-1.234567", "0.30102999566398120", "-7.0e-3", "1e5",
            "-inf", "nan", "", "-", ".", "1.2.3", "12a", "9007199254740993", "0.00000000000000000000001",
            "-0.0000000000000000000001", "123456789012345678",
        ]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...9, using: &generator)
            let fraction = Int.random(in: 0...8, using: &generator)
            let value = Double.random(in: -Double(digits)...0, using: &generator)
            fields.append(String(format: "%.\(fraction)f", value))
        }
        var answered = 0
        for field in fields {
            let bytes = Array(field.utf8)
            guard let fast = ARPAParser.plainDecimal(bytes, bytes.indices) else {
                XCTAssertFalse(
                    field.range(of: #"^-?\d{1,6}\.\d{1,9}$"#, options: .regularExpression) != nil,
                    "\(field): a plain decimal was left to strtod")
                continue
            }
            answered += 1
            let (reference, consumed) = field.withCString { start -> (Double, Int) in
                var end: UnsafeMutablePointer<CChar>?
                let value = strtod(start, &end)
                return (value, end.map { UnsafePointer($0) - start } ?? 0)
            }
            XCTAssertEqual(consumed, field.utf8.count, "\(field): strtod stopped early")
            XCTAssertEqual(fast.bitPattern, reference.bitPattern, "\(field): \(fast) vs strtod \(reference)")
        }
        XCTAssertGreaterThan(answered, 20_000)
    }

    /// Every word found by bytes is the dictionary's; unknown words are −1; duplicates are refused.
    func testWordIndexAgreesWithADictionary() {
        var index = ARPAWordIndex(expectedCount: 2)  // grows several times
        var dictionary: [String: Int32] = [:]
        let words = (0..<3000).map { "w\($0 * 7919 % 3001)" } + ["<s>", "</s>", "<unk>", "don't", "é", ""]
        for word in words where dictionary[word] == nil {
            let bytes = Array(word.utf8)
            let id = index.insert(bytes, bytes.indices)
            XCTAssertEqual(id, Int32(dictionary.count), word)
            dictionary[word] = id
            XCTAssertNil(index.insert(bytes, bytes.indices), "\(word) inserted twice")
        }
        // Looked up inside a larger buffer, as the parser does (a field of a line).
        for (word, id) in dictionary {
            let line = Array("-1.5\t\(word)\t-0.2".utf8)
            XCTAssertEqual(index.find(line, 5..<(5 + word.utf8.count)), id, word)
        }
        for missing in ["w3001", "w", "<S>", "dont"] {
            let bytes = Array(missing.utf8)
            XCTAssertEqual(index.find(bytes, bytes.indices), -1, missing)
        }
    }

    /// A model written by `NGramCounts` reads back with the probabilities of the file: the fast reader against a
    /// plain one (split on blanks, `Double(_:)`, a dictionary of words) on every line.
    func testAFileReadsAsAPlainReaderReadsIt() throws {
        var counts = NGramCounts(order: 4)
        let sentences = [
            "the cat sat on the mat", "the dog sat on the log", "a cat and a dog", "on the mat the cat sat",
            "press one for sales", "press two for support", "please leave a message after the tone",
        ]
        for sentence in sentences { counts.add(line: sentence) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fast-path-\(UUID().uuidString).arpa")
        defer { try? FileManager.default.removeItem(at: url) }
        try counts.writeARPA(toFile: url.path)
        let lm = try ARPALanguageModel(contentsOfFile: url.path)
        let text = try String(contentsOf: url, encoding: .utf8)
        var order = 0
        var checked = 0
        for line in text.split(separator: "\n") {
            if line.hasPrefix("\\") {
                order = line.hasSuffix("-grams:") ? Int(line.dropFirst().prefix(while: \.isNumber))! : 0
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard order > 0, fields.count > order else { continue }
            let words = Array(fields[1...order])
            let ids = words.map { lm.wordIDs[$0]! }
            let id = lm.lookup(ids)
            XCTAssertGreaterThanOrEqual(id, 0, line.description)
            XCTAssertEqual(lm.logProbabilities[Int(id)], Float(Double(fields[0])!) * ARPABuilder.ln10, line.description)
            let backoff = fields.count > order + 1 ? Float(Double(fields[order + 1])!) * ARPABuilder.ln10 : 0
            XCTAssertEqual(lm.backoffs[Int(id)], backoff, line.description)
            checked += 1
        }
        XCTAssertEqual(checked, lm.counts.reduce(0, +))
    }
}
