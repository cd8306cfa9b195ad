import EarshotTestSupport
import Foundation
import XCTest

@testable import EarshotDecoding

/// Prefix beam search without a language model: hand cases where it differs from greedy decoding, the exact
/// prefix probabilities of a brute-force sum over all alignments, beam width 1 against greedy, and the fast
/// search against its naive twin (`decodeReference`).
final class BeamSearchDecoderTests: XCTestCase {
    /// Options with no pruning at all: the search is then exact for a beam wider than the number of prefixes.
    static var exhaustive: BeamSearchOptions {
        var o = BeamSearchOptions()
        o.beamWidth = 100_000
        o.pruneThreshold = .infinity
        o.topK = 256
        o.blankSkipThreshold = 2
        o.beamThreshold = .infinity
        o.nBest = 100_000
        return o
    }

    func testSumOverAlignmentsBeatsTheBestPath() throws {
        // Two frames, P(blank) = 0.6, P(a) = 0.4 each: the best path is "_ _" (0.36), so greedy says "", but
        // "a" has three alignments (a_, _a, aa) worth 0.24 + 0.24 + 0.16 = 0.64.
        let alphabet = Alphabet(characters: ["a"])
        let values = [log(0.6), log(0.4), log(0.6), log(0.4)].map { Float($0) }
        XCTAssertEqual(GreedyDecoder(alphabet: alphabet).decode(values, frameCount: 2, vocabularySize: 2).text, "")
        var options = Self.exhaustive
        options.nBest = 5
        let result = try BeamSearchDecoder(alphabet: alphabet, options: options)
            .decode(values, frameCount: 2, vocabularySize: 2)
        XCTAssertEqual(result.hypotheses.map(\.text), ["a", ""])
        XCTAssertEqual(result.hypotheses[0].acousticScore, Float(log(0.64)), accuracy: 1e-6)
        XCTAssertEqual(result.hypotheses[1].acousticScore, Float(log(0.36)), accuracy: 1e-6)
        XCTAssertEqual(result.hypotheses[0].frames, [0])
    }

    func testARepeatNeedsABlankBetween() throws {
        let decoder = try BeamSearchDecoder()
        XCTAssertEqual(decoder.decode(posteriors("aaa"), frameCount: 3, vocabularySize: 29).text, "a")
        XCTAssertEqual(decoder.decode(posteriors("a_a"), frameCount: 3, vocabularySize: 29).text, "aa")
        XCTAssertEqual(decoder.decode(posteriors("_hh_e_ll_lo__"), frameCount: 13, vocabularySize: 29).text, "hello")
        // An "a" split across frames by a weak blank: P(a) = .6/.45/.6 for the three frames, the rest blank.
        // Greedy reads "a _ a" = "aa" (one path, 0.198); the six paths of "a" (aaa, aa_, _aa, a__, __a, _a_) add
        // up to 0.714, and "" (___) has 0.088.
        let one = Alphabet(characters: ["a"])
        let values = [0.4, 0.6, 0.55, 0.45, 0.4, 0.6].map { Float(log($0)) }
        XCTAssertEqual(GreedyDecoder(alphabet: one).decode(values, frameCount: 3, vocabularySize: 2).text, "aa")
        var options = Self.exhaustive
        options.nBest = 3
        let result = try BeamSearchDecoder(alphabet: one, options: options).decode(
            values, frameCount: 3, vocabularySize: 2)
        XCTAssertEqual(result.hypotheses.map(\.text), ["a", "aa", ""])
        let expected = [0.714, 0.198, 0.088].map { Float(log($0)) }
        assertClose(result.hypotheses.map(\.acousticScore), expected, tolerance: 1e-5, "P(a), P(aa), P()")
    }

    func testEmptyInputAndAllBlank() throws {
        let decoder = try BeamSearchDecoder()
        let empty = decoder.decode([], frameCount: 0, vocabularySize: 29)
        XCTAssertEqual(empty.text, "")
        XCTAssertEqual(empty.best.score, 0)
        XCTAssertEqual(empty.frameCount, 0)
        let blank = decoder.decode(posteriors("_____"), frameCount: 5, vocabularySize: 29)
        XCTAssertEqual(blank.text, "")
        // "" merges the all-blank path with the prefixes of spaces only, so it has a little more than 0.9⁵.
        XCTAssertGreaterThan(blank.best.acousticScore, 5 * Float(log(0.9)))
        XCTAssertLessThan(blank.best.acousticScore, 5 * Float(log(0.9)) + 0.05)
    }

    func testAFrameOfNaNIsImpossibleNotACrash() throws {
        var values = posteriors("_ab_")
        values[29 + alphabet.index(of: "c")!] = .nan
        let result = try BeamSearchDecoder().decode(values, frameCount: 4, vocabularySize: 29)
        XCTAssertEqual(result.text, "ab")
        XCTAssertTrue(result.best.score.isFinite)
    }

    /// Exact prefix probabilities: with no pruning and a beam wider than the number of prefixes, every
    /// hypothesis's acoustic score must be ln Σ over its alignments, which we enumerate (V^T paths).
    func testScoresEqualABruteForceSumOverAllAlignments() throws {
        for (characters, maxFrames) in [(["a", "b"], 6), (["a", "b", "c"], 5), ([" ", "a"], 6)] as [([Character], Int)]
        {
            let alphabet = Alphabet(characters: characters)
            let v = alphabet.outputCount
            let decoder = try BeamSearchDecoder(alphabet: alphabet, options: Self.exhaustive)
            for frames in 1...maxFrames {
                let values = logSoftmax(seededNoise(count: frames * v, seed: UInt64(97 * frames + v), amplitude: 2), v)
                let exact = bruteForce(values, frames: frames, alphabet: alphabet)
                let result = decoder.decode(values, frameCount: frames, vocabularySize: v)
                XCTAssertEqual(result.hypotheses.count, exact.count, "\(characters) T=\(frames)")
                for h in result.hypotheses {
                    guard let p = exact[h.text] else {
                        XCTFail("\(characters) T=\(frames): '\(h.text)' is no collapse of any path")
                        continue
                    }
                    // Float accumulation over ≤ 6 frames: a few ULPs of the log-probabilities (≲ 10).
                    XCTAssertEqual(
                        Double(h.acousticScore), log(p), accuracy: 2e-5, "\(characters) T=\(frames) '\(h.text)'")
                    XCTAssertEqual(h.score, h.acousticScore)
                }
                let sorted = result.hypotheses.map(\.score)
                XCTAssertEqual(sorted, sorted.sorted(by: >))
            }
        }
    }

    /// On posteriors where every frame's winner has probability > 1/2, the single hypothesis of a beam of width
    /// 1 follows the argmax path, so it must equal greedy decoding — text, labels and frames.
    func testBeamWidthOneEqualsGreedyOnConfidentPosteriors() throws {
        var options = BeamSearchOptions()
        options.beamWidth = 1
        for blankSkip: Float in [0.999, 2] {
            options.blankSkipThreshold = blankSkip
            let decoder = try BeamSearchDecoder(options: options)
            for seed in 1...25 {
                let (values, frames) = confidentPosteriors(seed: UInt64(seed), frames: 20 + 3 * seed)
                let greedy = GreedyDecoder().decode(values, frameCount: frames, vocabularySize: 29)
                let beam = decoder.decode(values, frameCount: frames, vocabularySize: 29)
                let expectedText = greedy.text.split(separator: " ").joined(separator: " ")
                XCTAssertEqual(beam.text, expectedText, "seed \(seed)")
                if greedy.text == expectedText {
                    XCTAssertEqual(beam.best.labels, greedy.labels, "seed \(seed)")
                    XCTAssertEqual(beam.best.frames, greedy.startFrames, "seed \(seed)")
                }
            }
        }
    }

    /// The fast search and its naive twin on random, moderately peaky posteriors, over option variants: same
    /// N-best texts, labels, frames and scores.
    func testMatchesTheNaiveTwin() throws {
        var variants: [BeamSearchOptions] = []
        for (width, topK, skip, threshold) in [(4, 8, 0.999, 25), (16, 3, 2, 25), (32, 28, 0.9, 8), (8, 28, 2, 1e9)]
            as [(Int, Int, Float, Float)]
        {
            var o = BeamSearchOptions()
            o.beamWidth = width
            o.topK = topK
            o.blankSkipThreshold = skip
            o.beamThreshold = threshold
            o.nBest = 6
            variants.append(o)
        }
        for (index, options) in variants.enumerated() {
            let decoder = try BeamSearchDecoder(options: options)
            let workspace = BeamSearchDecoder.Workspace()
            for seed in 1...8 {
                let frames = 30 + 5 * seed
                var values = seededNoise(count: frames * 29, seed: UInt64(1000 * index + seed), amplitude: 4)
                for t in 0..<frames where t % 3 != 0 { values[t * 29] += 5 }
                values = logSoftmax(values, 29)
                let fast = values.withUnsafeBufferPointer {
                    decoder.decode($0, frameCount: frames, vocabularySize: 29, workspace: workspace)
                }
                let naive = decoder.decodeReference(values, frameCount: frames, vocabularySize: 29)
                assertSameHypotheses(fast, naive, "variant \(index) seed \(seed)")
            }
        }
    }

    func testNBestIsSortedDistinctAndLimited() throws {
        var options = BeamSearchOptions()
        options.nBest = 10
        let decoder = try BeamSearchDecoder(options: options)
        var values = seededNoise(count: 40 * 29, seed: 5, amplitude: 3)
        values = logSoftmax(values, 29)
        let result = decoder.decode(values, frameCount: 40, vocabularySize: 29)
        XCTAssertEqual(result.hypotheses.count, 10)
        XCTAssertEqual(Set(result.hypotheses.map(\.text)).count, 10)
        for (a, b) in zip(result.hypotheses, result.hypotheses.dropFirst()) {
            XCTAssertGreaterThanOrEqual(a.score, b.score)
        }
        for h in result.hypotheses {
            XCTAssertEqual(h.labels.count, h.text.count)
            XCTAssertEqual(h.frames, h.frames.sorted())
            XCTAssertEqual(Set(h.frames).count, h.frames.count, "one frame per label")
            XCTAssertFalse(h.text.hasPrefix(" ") || h.text.hasSuffix(" ") || h.text.contains("  "))
        }
        options.nBest = 1
        let one = try BeamSearchDecoder(options: options).decode(values, frameCount: 40, vocabularySize: 29)
        XCTAssertEqual(one.hypotheses, [result.hypotheses[0]])
    }

    func testFramesAreWhereEachCharacterIsFirstEmitted() throws {
        // "_cc__a_t__ _dd_o_g": c at 1, a at 5, t at 7, space at 10, d at 12, o at 15, g at 17.
        let path = "_cc__a_t__ _dd_o_g"
        let result = try BeamSearchDecoder().decode(posteriors(path), frameCount: path.count, vocabularySize: 29)
        XCTAssertEqual(result.text, "cat dog")
        XCTAssertEqual(result.best.frames, [1, 5, 7, 10, 12, 15, 17])
    }

    func testAWorkspaceIsReusedAcrossUtterancesOfAnyLength() throws {
        let decoder = try BeamSearchDecoder()
        let workspace = BeamSearchDecoder.Workspace()
        let long = logSoftmax(seededNoise(count: 300 * 29, seed: 1, amplitude: 5), 29)
        let short = logSoftmax(seededNoise(count: 20 * 29, seed: 2, amplitude: 5), 29)
        func run(_ values: [Float], _ frames: Int) -> DecodingResult {
            values.withUnsafeBufferPointer {
                decoder.decode($0, frameCount: frames, vocabularySize: 29, workspace: workspace)
            }
        }
        let shortFirst = run(short, 20)
        _ = run(long, 300)
        XCTAssertEqual(run(short, 20), shortFirst)
        XCTAssertEqual(run(long, 300), decoder.decode(long, frameCount: 300, vocabularySize: 29))
    }

    func testOptionsAreValidatedAndCodable() throws {
        var options = BeamSearchOptions()
        options.beamWidth = 0
        XCTAssertThrowsError(try BeamSearchDecoder(options: options))
        options = BeamSearchOptions()
        options.unknownWordPenalty = 3
        XCTAssertThrowsError(try BeamSearchDecoder(options: options))
        options = BeamSearchOptions()
        options.beamWidth = 100
        options.pruneThreshold = .infinity
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        XCTAssertEqual(try decoder.decode(BeamSearchOptions.self, from: encoder.encode(options)), options)
        // Missing keys take their defaults, so stored options survive new fields.
        let partial = try decoder.decode(BeamSearchOptions.self, from: Data(#"{"beamWidth": 7}"#.utf8))
        var expected = BeamSearchOptions()
        expected.beamWidth = 7
        XCTAssertEqual(partial, expected)
    }

    // MARK: - Helpers

    let alphabet = Alphabet.english

    /// Log-posteriors (T, 29) whose winner at frame t is `path[t]` (`_` = blank) with probability `winner`.
    func posteriors(_ path: String, winner: Double = 0.9) -> [Float] {
        var values = [Float](repeating: Float(log((1 - winner) / 28)), count: path.count * 29)
        for (t, c) in path.enumerated() {
            values[t * 29 + (c == "_" ? 0 : alphabet.index(of: c)!)] = Float(log(winner))
        }
        return values
    }

    /// Random posteriors whose every frame has a winner of probability 0.6–0.95, blank on about half the frames.
    func confidentPosteriors(seed: UInt64, frames: Int) -> ([Float], Int) {
        let noise = seededNoise(count: frames * 31, seed: seed, amplitude: 0.5)
        var values: [Float] = []
        for t in 0..<frames {
            let u = noise[t * 31] + 0.5, w = noise[t * 31 + 1] + 0.5  // uniform in [0, 1)
            let winner = u < 0.5 ? 0 : 1 + Int(w * 28) % 28
            let p = 0.6 + 0.35 * Double(noise[t * 31 + 2] + 0.5)
            var row = (0..<29).map { 1 + Double(noise[t * 31 + 2 + $0] + 0.5) }
            row[winner] = 0
            let rest = row.reduce(0, +)
            row = row.map { $0 / rest * (1 - p) }
            row[winner] = p
            values += row.map { Float(log($0)) }
        }
        return (values, frames)
    }

    /// Every path of T frames over V outputs: P(collapsed text), texts normalised as the decoder's (spaces).
    func bruteForce(_ values: [Float], frames: Int, alphabet: Alphabet) -> [String: Double] {
        let v = alphabet.outputCount
        var result: [String: Double] = [:]
        var path = [Int](repeating: 0, count: frames)
        let total = Int(pow(Double(v), Double(frames)))
        for code in 0..<total {
            var c = code, logP = 0.0
            for t in 0..<frames {
                path[t] = c % v
                c /= v
                logP += Double(values[t * v + path[t]])
            }
            var labels: [Int] = []
            for t in 0..<frames where path[t] != 0 && (t == 0 || path[t] != path[t - 1]) { labels.append(path[t]) }
            let text = alphabet.decode(labels).split(separator: " ").joined(separator: " ")
            result[text, default: 0] += exp(logP)
        }
        return result
    }
}

/// Row-wise log-softmax of (T, V) logits.
func logSoftmax(_ logits: [Float], _ v: Int) -> [Float] {
    var out = logits
    for t in 0..<(logits.count / v) {
        let row = logits[(t * v)..<((t + 1) * v)]
        let m = row.max()!
        let lse = m + log(row.reduce(Float(0)) { $0 + exp($1 - m) })
        for k in 0..<v { out[t * v + k] = logits[t * v + k] - lse }
    }
    return out
}

/// Fails unless two results have the same hypotheses: texts, labels and frames equal, scores within 1e-3
/// (the two searches add the same terms in different orders; over a few hundred frames Float rounding stays
/// below 1e-4 nats).
func assertSameHypotheses(
    _ fast: DecodingResult, _ naive: DecodingResult, _ message: String, file: StaticString = #filePath,
    line: UInt = #line
) {
    XCTAssertEqual(fast.hypotheses.map(\.text), naive.hypotheses.map(\.text), message, file: file, line: line)
    for (a, b) in zip(fast.hypotheses, naive.hypotheses) where a.text == b.text {
        XCTAssertEqual(a.labels, b.labels, message, file: file, line: line)
        XCTAssertEqual(a.frames, b.frames, "\(message) '\(a.text)'", file: file, line: line)
        XCTAssertEqual(a.score, b.score, accuracy: 1e-3, message, file: file, line: line)
        XCTAssertEqual(a.acousticScore, b.acousticScore, accuracy: 1e-3, message, file: file, line: line)
        XCTAssertEqual(a.languageModelScore, b.languageModelScore, accuracy: 1e-3, message, file: file, line: line)
        XCTAssertEqual(a.hotwordScore, b.hotwordScore, accuracy: 1e-3, message, file: file, line: line)
    }
}
