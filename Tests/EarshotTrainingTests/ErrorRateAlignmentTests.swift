import EarshotTestSupport
import EarshotTraining
import XCTest

/// `EditDistance.alignment` against its naive twin `EditDistance.distance`, and its operations checked
/// to rebuild both sequences.
final class ErrorRateAlignmentTests: XCTestCase {
    func testOperationsOfASmallCase() {
        let ops = EditDistance.alignment(Array("kitten"), Array("sitting"))
        XCTAssertEqual(
            ops,
            [
                .substitution(reference: 0, hypothesis: 0), .match(reference: 1, hypothesis: 1),
                .match(reference: 2, hypothesis: 2), .match(reference: 3, hypothesis: 3),
                .substitution(reference: 4, hypothesis: 4), .match(reference: 5, hypothesis: 5),
                .insertion(hypothesis: 6),
            ])
        XCTAssertEqual(EditDistance.distance(Array("kitten"), Array("sitting")), 3)
    }

    func testEmptySequences() {
        XCTAssertEqual(EditDistance.alignment([Int](), []), [])
        XCTAssertEqual(EditDistance.alignment([1, 2], []), [.deletion(reference: 0), .deletion(reference: 1)])
        XCTAssertEqual(EditDistance.alignment([], [7]), [.insertion(hypothesis: 0)])
        XCTAssertEqual(EditDistance.distance([Int](), [1, 2, 3]), 3)
        XCTAssertEqual(EditDistance.distance([1, 2], [Int]()), 2)
    }

    /// Random sequences over a small alphabet (many equal-cost alignments): the alignment's cost is the
    /// minimal distance, and walking its operations visits every item of both sequences once, in order.
    func testAlignmentIsMinimalAndConsistent() {
        let noise = seededNoise(count: 40_000, seed: 7, amplitude: 1)
        var k = 0
        func next(_ n: Int) -> Int {
            defer { k += 1 }
            return Int((noise[k] + 1) / 2 * Float(n)) % n
        }
        for trial in 0..<500 {
            let reference = (0..<next(12)).map { _ in next(3) }
            let hypothesis = (0..<next(12)).map { _ in next(3) }
            let ops = EditDistance.alignment(reference, hypothesis)
            let counts = EditDistance.counts(reference, hypothesis)
            XCTAssertEqual(counts.errors, EditDistance.distance(reference, hypothesis), "trial \(trial)")
            XCTAssertEqual(counts.referenceLength, reference.count)
            XCTAssertEqual(counts.hypothesisLength, hypothesis.count)
            var i = 0, j = 0
            for op in ops {
                switch op {
                case .match(let r, let h):
                    XCTAssertEqual([r, h], [i, j])
                    XCTAssertEqual(reference[r], hypothesis[h])
                    i += 1
                    j += 1
                case .substitution(let r, let h):
                    XCTAssertEqual([r, h], [i, j])
                    XCTAssertNotEqual(reference[r], hypothesis[h])
                    i += 1
                    j += 1
                case .deletion(let r):
                    XCTAssertEqual(r, i)
                    i += 1
                case .insertion(let h):
                    XCTAssertEqual(h, j)
                    j += 1
                }
            }
            XCTAssertEqual([i, j], [reference.count, hypothesis.count], "trial \(trial)")
        }
    }

    func testCountsArithmetic() {
        let a = EditCounts(hits: 1, substitutions: 2, deletions: 3, insertions: 4)
        var b = a
        b += a
        XCTAssertEqual(b, EditCounts(hits: 2, substitutions: 4, deletions: 6, insertions: 8))
        XCTAssertEqual(a.errors, 9)
        XCTAssertEqual(a.referenceLength, 6)
        XCTAssertEqual(a.hypothesisLength, 7)
        XCTAssertEqual(a.errorRate, 1.5)
        XCTAssertEqual(EditCounts(insertions: 2).errorRate, 2)
        XCTAssertEqual(EditCounts().errorRate, 0)
    }
}
