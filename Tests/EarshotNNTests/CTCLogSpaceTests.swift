import Foundation
import Testing

@testable import EarshotNN

/// The polynomial `exp`/`log` and the log-sum-exps of `CTCLogSpace` against libm in Double, over a
/// dense grid of their domains and the special values (−∞, 0, ties).
@Suite struct CTCLogSpaceTests {
    typealias Lanes = CTCLogSpace.Lanes

    /// Relative error ≤ 2e-14 on [−708, 0]: the fit's 1.7e-14 plus the reduction's rounding (measured
    /// 1.8e-14).
    @Test func expMatchesLibm() {
        var worst = 0.0
        var x = -708.0
        while x <= 0 {
            let ours = CTCLogSpace.exp(Lanes(x, x * 0.999_999_7))
            worst = max(worst, abs(ours.first / Foundation.exp(x) - 1))
            worst = max(worst, abs(ours.second / Foundation.exp(x * 0.999_999_7) - 1))
            x += 0.013_7
        }
        #expect(worst <= 2e-14, "max relative error \(worst)")
        #expect(CTCLogSpace.exp(Lanes(0, -0.0)).first == 1)
        #expect(CTCLogSpace.exp(Lanes(-.infinity, -1e300)).first <= 1e-307)  // clamped, not NaN
        #expect(CTCLogSpace.exp(Lanes(-.infinity, -1e300)).second <= 1e-307)
    }

    /// Absolute error ≤ 4e-16 on [1, 3]: the fit's 7e-17 plus the rounding of results ≤ 1.1, whose
    /// spacing is 2.2e-16 (measured: 2.2e-16).
    @Test func logMatchesLibm() {
        var worst = 0.0
        var y = 1.0
        while y <= 3 {
            let ours = CTCLogSpace.logOneToThree(Lanes(y, y.nextUp))
            worst = max(worst, abs(ours.first - Foundation.log(y)), abs(ours.second - Foundation.log(y.nextUp)))
            y += 1.0 / 65_536 + 1e-9
        }
        #expect(worst <= 4e-16, "max absolute error \(worst)")
        #expect(CTCLogSpace.logOneToThree(Lanes(1, 2)).first == 0)
        #expect(abs(CTCLogSpace.logOneToThree(Lanes(1, 2)).second - Foundation.log(2.0)) <= 1e-16)
        #expect(abs(CTCLogSpace.logOneToThree(Lanes(3, 2.8284271247461903)).first - Foundation.log(3.0)) <= 4e-16)
    }

    /// log(eᵃ + eᵇ [+ eᶜ]) against a libm reference, including −∞ operands, ties and large gaps.
    @Test func logSumExpHandlesInfinitiesAndTies() {
        let values: [Double] = [-.infinity, -1e3, -745.5, -40, -3.25, -1e-9, 0, 1e-9, 2.5, 700]
        func reference(_ terms: [Double]) -> Double {
            let m = terms.max()!
            if m == -.infinity { return -.infinity }
            return m + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - m) })
        }
        for a in values {
            for b in values {
                let two = CTCLogSpace.logSumExp(Lanes(a, b), Lanes(b, a))
                let expected2 = reference([a, b])
                #expect(two.first == two.second)  // symmetric
                if expected2 == -.infinity {
                    #expect(two.first == -.infinity)
                } else {
                    #expect(abs(two.first - expected2) <= 1e-14 * max(1, abs(expected2)), "lse(\(a), \(b))")
                }
                for c in values {
                    let three = CTCLogSpace.logSumExp(Lanes(a, c), Lanes(b, a), Lanes(c, b))
                    let expected3 = reference([a, b, c])
                    if expected3 == -.infinity {
                        #expect(three.first == -.infinity && three.second == -.infinity)
                    } else {
                        #expect(abs(three.first - expected3) <= 2e-14 * max(1, abs(expected3)), "lse(\(a), \(b), \(c))")
                        #expect(
                            abs(three.second - expected3) <= 2e-14 * max(1, abs(expected3)), "lse(\(a), \(b), \(c))")
                    }
                }
            }
        }
    }
}
