import EarshotDecoding
import EarshotTestSupport
import Foundation
import XCTest

/// Greedy CTC decoding on hand-made posteriors, and against a naive twin on random ones.
final class GreedyDecoderTests: XCTestCase {
    let alphabet = Alphabet.english
    lazy var decoder = GreedyDecoder(alphabet: alphabet)

    /// Log-posteriors (T, V) whose argmax at frame t is the output for `path[t]`: `_` is the blank, any other
    /// character its alphabet index. The winner gets log 0.9, the others share the rest.
    func posteriors(_ path: String) -> [Float] {
        let v = alphabet.outputCount
        var values = [Float](repeating: log(0.1 / Float(v - 1)), count: path.count * v)
        for (t, c) in path.enumerated() {
            let k = c == "_" ? Alphabet.blank : alphabet.index(of: c)!
            values[t * v + k] = log(0.9)
        }
        return values
    }

    func decode(_ path: String) -> GreedyDecoding {
        decoder.decode(posteriors(path), frameCount: path.count, vocabularySize: alphabet.outputCount)
    }

    func testCollapsesRepeatsAndDropsBlanks() {
        let result = decode("_hh_e_ll_lo__")
        XCTAssertEqual(result.text, "hello")
        XCTAssertEqual(result.labels, "hello".map { alphabet.index(of: $0)! })
        XCTAssertEqual(result.startFrames, [1, 4, 6, 9, 10])
        XCTAssertEqual(result.endFrames, [3, 5, 8, 10, 11])
    }

    func testRepeatWithoutBlankIsOneCharacter() {
        XCTAssertEqual(decode("llll").text, "l")
        XCTAssertEqual(decode("ll_ll").text, "ll")
        XCTAssertEqual(decode("ab_ba").text, "abba")
    }

    func testBlanksAtTheEdges() {
        let result = decode("___a b___")
        XCTAssertEqual(result.text, "a b")
        XCTAssertEqual(result.startFrames, [3, 4, 5])
        XCTAssertEqual(result.endFrames, [4, 5, 6])
        let edge = decode("a___b")
        XCTAssertEqual(edge.text, "ab")
        XCTAssertEqual(edge.startFrames, [0, 4])
    }

    func testAllBlankAndEmpty() {
        let blank = decode("______")
        XCTAssertEqual(blank, GreedyDecoding(labels: [], startFrames: [], endFrames: [], text: ""))
        XCTAssertEqual(decode("").text, "")
        XCTAssertEqual(decoder.decode([], frameCount: 0, vocabularySize: alphabet.outputCount).labels, [])
    }

    func testTiesGoToTheLowerIndexAndNaNNeverWins() {
        let v = alphabet.outputCount
        var values = [Float](repeating: -5, count: 3 * v)
        // Frame 0: 'a' and 'b' tie → 'a'. Frame 1: all NaN → blank. Frame 2: NaN at 'z', 'c' largest → 'c'.
        values[alphabet.index(of: "a")!] = -1
        values[alphabet.index(of: "b")!] = -1
        for k in 0..<v { values[v + k] = .nan }
        values[2 * v + alphabet.index(of: "z")!] = .nan
        values[2 * v + alphabet.index(of: "c")!] = -0.5
        let result = decoder.decode(values, frameCount: 3, vocabularySize: v)
        XCTAssertEqual(result.text, "ac")
        XCTAssertEqual(result.startFrames, [0, 2])
    }

    func testBufferAndArrayAgree() {
        let values = posteriors("_a_bb__c")
        let fromBuffer = values.withUnsafeBufferPointer {
            decoder.decode($0, frameCount: 8, vocabularySize: alphabet.outputCount)
        }
        XCTAssertEqual(fromBuffer, decoder.decode(values, frameCount: 8, vocabularySize: alphabet.outputCount))
    }

    /// The naive twin: argmax of every frame into an array, then the collapse rule as written in the paper.
    func naiveDecode(_ values: [Float], frameCount: Int, vocabularySize: Int) -> (labels: [Int], starts: [Int]) {
        let path = (0..<frameCount).map { t in
            let row = values[t * vocabularySize..<(t + 1) * vocabularySize]
            return row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) })! - t * vocabularySize
        }
        var labels: [Int] = [], starts: [Int] = []
        for t in path.indices where path[t] != Alphabet.blank && (t == 0 || path[t - 1] != path[t]) {
            labels.append(path[t])
            starts.append(t)
        }
        return (labels, starts)
    }

    func testMatchesNaiveTwinOnRandomPosteriors() {
        let v = alphabet.outputCount
        for seed in 1...20 {
            let frames = 5 * seed
            var values = seededNoise(count: frames * v, seed: UInt64(seed), amplitude: 3)
            // Make the blank win about half the frames, as in a trained model.
            for t in 0..<frames where t % 2 == 0 { values[t * v] = 4 }
            let fast = decoder.decode(values, frameCount: frames, vocabularySize: v)
            let naive = naiveDecode(values, frameCount: frames, vocabularySize: v)
            XCTAssertEqual(fast.labels, naive.labels, "seed \(seed)")
            XCTAssertEqual(fast.startFrames, naive.starts, "seed \(seed)")
            XCTAssertEqual(fast.text, alphabet.decode(naive.labels))
        }
    }
}
