import EarshotNN
import Foundation
import XCTest

/// Exact values of each schedule. The peak is 2 (a power of two) so that warm-up fractions are exact
/// and every expected value below is computed by hand.
final class LearningRateScheduleTests: XCTestCase {
    func rates(_ schedule: LearningRateSchedule, _ steps: [Int]) -> [Float] { steps.map(schedule.rate(atStep:)) }

    func testWarmupThenConstant() {
        let schedule = LearningRateSchedule(peak: 2, warmupSteps: 4)
        XCTAssertEqual(rates(schedule, [1, 2, 3, 4, 5, 1000]), [0.5, 1, 1.5, 2, 2, 2])
        XCTAssertEqual(rates(LearningRateSchedule(peak: 2), [1, 7]), [2, 2])  // no warm-up
    }

    /// Cosine from the peak at W = 4 to the floor at T = 8: halfway (step 6) is midway between peak and
    /// floor; a quarter in (step 5) is floor + (peak − floor)·(1 + cos(π/4))/2.
    func testCosine() {
        let schedule = LearningRateSchedule(peak: 2, warmupSteps: 4, decay: .cosine(totalSteps: 8, floor: 0))
        XCTAssertEqual(
            rates(schedule, [2, 4, 5, 6, 7, 8, 9, 100]),
            [1, 2, Float(1 + 0.5.squareRoot()), 1, Float(1 - 0.5.squareRoot()), 0, 0, 0])
        let floored = LearningRateSchedule(peak: 2, warmupSteps: 0, decay: .cosine(totalSteps: 4, floor: 0.5))
        XCTAssertEqual(rates(floored, [2, 4, 5]), [1.25, 0.5, 0.5])
        // totalSteps inside the warm-up: straight to the floor afterwards.
        let short = LearningRateSchedule(peak: 2, warmupSteps: 4, decay: .cosine(totalSteps: 2, floor: 0.25))
        XCTAssertEqual(rates(short, [4, 5]), [2, 0.25])
    }

    func testInverseSquareRoot() {
        let schedule = LearningRateSchedule(peak: 2, warmupSteps: 4, decay: .inverseSquareRoot)
        XCTAssertEqual(rates(schedule, [1, 4, 16, 64, 400]), [0.5, 2, 1, 0.5, 0.2])
        let noWarmup = LearningRateSchedule(peak: 2, decay: .inverseSquareRoot)
        XCTAssertEqual(rates(noWarmup, [1, 4, 16]), [2, 1, 0.5])
    }

    /// Noam's formula from *Attention Is All You Need*, d^-0.5 · min(step^-0.5, step · W^-1.5), is our
    /// schedule with peak = d^-0.5 · W^-0.5.
    func testInverseSquareRootIsNoam() {
        let d = 512.0, w = 4000
        let schedule = LearningRateSchedule(
            peak: Float(1 / (d * Double(w)).squareRoot()), warmupSteps: w, decay: .inverseSquareRoot)
        for step in stride(from: 1, through: 100_000, by: 997) {
            let noam = 1 / d.squareRoot() * min(1 / Double(step).squareRoot(), Double(step) * pow(Double(w), -1.5))
            XCTAssertEqual(Double(schedule.rate(atStep: step)), noam, accuracy: noam * 1e-6, "step \(step)")
        }
    }

    func testExponential() {
        let schedule = LearningRateSchedule(peak: 2, warmupSteps: 2, decay: .exponential(gamma: 0.5))
        XCTAssertEqual(rates(schedule, [1, 2, 3, 4, 12]), [1, 2, 1, 0.5, Float(2 * pow(0.5, 10.0))])
    }

    /// Stored with checkpoints and logs: a stable JSON form that decodes to the same schedule.
    func testCodable() throws {
        let schedules = [
            LearningRateSchedule(peak: 1e-3, warmupSteps: 200),
            LearningRateSchedule(peak: 1e-3, warmupSteps: 200, decay: .cosine(totalSteps: 10_000, floor: 1e-5)),
            LearningRateSchedule(decay: .inverseSquareRoot),
            LearningRateSchedule(peak: 3e-4, warmupSteps: 10, decay: .exponential(gamma: 0.999)),
        ]
        for schedule in schedules {
            XCTAssertEqual(
                try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(schedule)), schedule)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(
            decoding: try encoder.encode(
                LearningRateSchedule(peak: 2, warmupSteps: 4, decay: .cosine(totalSteps: 8, floor: 0))), as: UTF8.self)
        XCTAssertEqual(json, #"{"decay":{"cosine":{"floor":0,"totalSteps":8}},"peak":2,"warmupSteps":4}"#)
    }
}
