import EarshotDecoding
import Foundation
import XCTest

/// The beam search against pyctcdecode and torchaudio's flashlight decoder on seeded realistic posteriors
/// (Fixtures/beam_*.npy, beam_cases.json; made by Scripts/fixtures/make_beam_fixtures.py, see Fixtures/README.md).
///
/// Only top transcripts are compared. Scores follow different conventions: pyctcdecode's logit_score is a
/// log-sum-exp over alignments like our acousticScore but after its own pruning (tokens below ln p = −5, beams
/// 10 below the best); flashlight's default (log_add=False) merges prefixes by max, a Viterbi-like score. On
/// the peaky cases all of them agree with greedy decoding; on the "soft" case (a less confident model) summing
/// over alignments changes the transcript, and we must agree with the decoders that sum (pyctcdecode, flashlight
/// with log_add=True), not with flashlight's max.
final class BeamSearchReferenceTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    struct Case: Decodable {
        var name: String
        var T: Int
        var V: Int
        var truth: String
        var greedy: String
        var posteriors: String
        var pyctcdecode_beam32: Transcript
        var pyctcdecode_beam100: Transcript
        var flashlight_beam32: Transcript
        var flashlight_beam100: Transcript
        var flashlight_logadd_beam32: Transcript
        var flashlight_logadd_beam100: Transcript
        var pyctcdecode_kenlm_beam32: Transcript
    }

    struct Transcript: Decodable {
        var text: String
    }

    struct File: Decodable {
        var cases: [Case]
    }

    static func cases() throws -> [Case] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("beam_cases.json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }

    static func posteriors(_ c: Case) throws -> [Float] {
        try readFloat32NPY(fixtures.appendingPathComponent(c.posteriors), shape: [c.T, c.V])
    }

    func testTopTranscriptEqualsPyctcdecodeAndFlashlightWithoutLanguageModel() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let values = try Self.posteriors(c)
            for (width, py, flashSum, flashMax) in [
                (32, c.pyctcdecode_beam32, c.flashlight_logadd_beam32, c.flashlight_beam32),
                (100, c.pyctcdecode_beam100, c.flashlight_logadd_beam100, c.flashlight_beam100),
            ] {
                for skip: Float in [0.999, 2] {
                    var options = BeamSearchOptions()
                    options.beamWidth = width
                    options.blankSkipThreshold = skip
                    let ours = try BeamSearchDecoder(options: options).decode(
                        values, frameCount: c.T, vocabularySize: c.V)
                    let label = "\(c.name) beam \(width) blank skip \(skip)"
                    if c.name != "soft" {
                        XCTAssertEqual(ours.text, py.text, "\(label): pyctcdecode")
                        XCTAssertEqual(ours.text, flashSum.text, "\(label): flashlight log_add=True")
                        XCTAssertEqual(ours.text, flashMax.text, "\(label): flashlight (max)")
                        XCTAssertEqual(ours.text, c.greedy, "\(label): greedy")
                    } else {
                        // Different searches make different errors here. What must hold: our transcript is at
                        // least as likely (exact CTC probability, summed over all alignments) as the best path's
                        // (greedy, and flashlight's max merge), and within 1 nat of the summing decoders'.
                        let exact = { (text: String) in
                            ctcLogLikelihood(values, frames: c.T, labels: Alphabet.english.encode(text)!)
                        }
                        let mine = exact(ours.text)
                        XCTAssertGreaterThan(mine, exact(c.greedy), label)
                        XCTAssertGreaterThanOrEqual(mine, exact(flashMax.text), label)
                        XCTAssertGreaterThan(mine, max(exact(py.text), exact(flashSum.text)) - 1, label)
                    }
                }
            }
        }
    }

    /// With the committed trigram model, α = 0.5, β = 1, unknown-word penalty −10 (pyctcdecode's alpha, beta,
    /// unk_score_offset) and beam 32, our transcript equals pyctcdecode + KenLM's on the peaky cases. (On "soft"
    /// the two differ by one trailing short word: pyctcdecode keeps a state per (prefix, ends in blank) and
    /// scores partial words differently, so near-ties can go either way.)
    func testTopTranscriptEqualsPyctcdecodeWithKenLM() throws {
        let lm = try ARPALanguageModel(contentsOfFile: Self.fixtures.appendingPathComponent("lm_zen.arpa").path)
        var options = BeamSearchOptions()
        options.languageModelWeight = 0.5
        options.wordBonus = 1
        options.unknownWordPenalty = -10
        let decoder = try BeamSearchDecoder(options: options, languageModel: lm)
        for c in try Self.cases() where c.name != "soft" {
            let values = try Self.posteriors(c)
            let ours = decoder.decode(values, frameCount: c.T, vocabularySize: c.V)
            XCTAssertEqual(ours.text, c.pyctcdecode_kenlm_beam32.text, c.name)
            XCTAssertNotEqual(ours.text, c.greedy, "\(c.name): the model corrects spelling errors")
        }
    }
}

/// The values of a little-endian float32 C-order .npy file of the given shape (the fixtures' format).
func readFloat32NPY(_ url: URL, shape expected: [Int]) throws -> [Float] {
    struct NPYError: Error, CustomStringConvertible {
        var description: String
    }
    let data = try Data(contentsOf: url)
    let bytes = [UInt8](data)
    guard bytes.count > 10, bytes[0] == 0x93, String(decoding: bytes[1..<6], as: UTF8.self) == "NUMPY" else {
        throw NPYError(description: "\(url.lastPathComponent): not an .npy file")
    }
    let headerLength: Int, start: Int
    if bytes[6] == 1 {
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        start = 10
    } else {
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        start = 12
    }
    let header = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
    guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
        throw NPYError(description: "\(url.lastPathComponent): expected little-endian float32 in C order: \(header)")
    }
    let shapeText = header.split(separator: "(")[1].split(separator: ")")[0]
    let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard shape == expected else {
        throw NPYError(description: "\(url.lastPathComponent): shape \(shape), expected \(expected)")
    }
    let count = shape.reduce(1, *)
    let body = start + headerLength
    guard bytes.count == body + 4 * count else { throw NPYError(description: "\(url.lastPathComponent): truncated") }
    return (0..<count).map { i in
        let o = body + 4 * i
        let bits =
            UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        return Float(bitPattern: bits)
    }
}

/// ln P(labels | x) under CTC, summed over every alignment (the forward recursion, in Double): an independent
/// check of how likely a transcript is, whichever decoder produced it.
func ctcLogLikelihood(_ logProbabilities: [Float], frames: Int, labels: [Int], vocabularySize v: Int = 29) -> Double {
    let extended = [0] + labels.flatMap { [$0, 0] }  // blank, l1, blank, l2, …, blank
    func logAdd(_ a: Double, _ b: Double) -> Double {
        let m = max(a, b)
        return m == -.infinity ? m : m + log(exp(a - m) + exp(b - m))
    }
    var alpha = [Double](repeating: -.infinity, count: extended.count)
    alpha[0] = Double(logProbabilities[0])
    if extended.count > 1 { alpha[1] = Double(logProbabilities[extended[1]]) }
    for t in 1..<frames {
        var next = [Double](repeating: -.infinity, count: extended.count)
        for s in extended.indices {
            var a = alpha[s]
            if s >= 1 { a = logAdd(a, alpha[s - 1]) }
            if s >= 2 && extended[s] != 0 && extended[s] != extended[s - 2] { a = logAdd(a, alpha[s - 2]) }
            next[s] = a + Double(logProbabilities[t * v + extended[s]])
        }
        alpha = next
    }
    return extended.count > 1 ? logAdd(alpha[extended.count - 1], alpha[extended.count - 2]) : alpha[0]
}
