import Foundation
import Testing

@testable import EarshotNN

/// The fast SIMD `exp`, sigmoid and `tanh` against libm (in Double), over a dense grid of [−20, 20]
/// (where the gates live), tiny arguments (where relative accuracy is hardest for tanh), and far out
/// (saturation), with lengths that are not multiples of 16 (the tail path).
@Suite struct ActivationsTests {
    init() { pinOpenBLASToOneThread() }

    /// Grid of [−20, 20] step 1/512, ±tiny values, and a tail of 5.
    static let grid: [Float] =
        (-10240...10240).map { Float($0) / 512 } + [1e-30, -1e-30, 1e-7, -3e-5, 0.4999, 0.5001, -0.5]

    /// The tolerance is a relative error of 5e-7 (about 4 float ulps) wherever the value is a normal
    /// float. Measured: exp 9.2e-8, sigmoid 1.4e-7, tanh 2.6e-7 (the libm float functions themselves are
    /// within ~1 ulp, 6e-8).
    static func worstRelativeError(_ got: [Float], _ x: [Float], _ exact: (Double) -> Double) -> Double {
        var worst = 0.0
        for (g, v) in zip(got, x) {
            let e = exact(Double(v))
            guard abs(e) >= Double(Float.leastNormalMagnitude) else { continue }
            worst = max(worst, abs(Double(g) - e) / abs(e))
        }
        return worst
    }

    @Test func expMatchesLibm() {
        let x = Self.grid + (-86...87).map { Float($0) }
        #expect(Self.worstRelativeError(Activations.exp(x), x, Foundation.exp) <= 5e-7)
    }

    @Test func sigmoidMatchesLibm() {
        let x = Self.grid + (-86...60).map { Float($0) }
        #expect(Self.worstRelativeError(Activations.sigmoid(x), x) { 1 / (1 + Foundation.exp(-$0)) } <= 5e-7)
    }

    @Test func tanhMatchesLibm() {
        #expect(Self.worstRelativeError(Activations.tanh(Self.grid), Self.grid, Foundation.tanh) <= 5e-7)
    }

    /// Far out, the results are the saturated values exactly (no NaN from an overflowing exp), and
    /// NaN propagates.
    @Test func saturationAndNaN() {
        let far: [Float] = [-1e30, -1000, -100, 100, 1000, 1e30, .infinity, -.infinity]
        #expect(Activations.tanh(far) == [-1, -1, -1, 1, 1, 1, 1, -1])
        let s = Activations.sigmoid(far)
        #expect(s[3...5].allSatisfy { $0 == 1 } && s[6] == 1)
        #expect(s[0...2].allSatisfy { $0 >= 0 && $0 < 1e-37 } && s[7] < 1e-37)
        #expect(Activations.exp([200])[0] > 1e38 && Activations.exp([-200])[0] < 1e-37)
        #expect(Activations.tanh([.nan])[0].isNaN && Activations.sigmoid([.nan])[0].isNaN)
        #expect(Activations.tanh([0])[0] == 0 && Activations.sigmoid([0])[0] == 0.5)
    }
}

extension ActivationsTests {
    /// Near saturation the float evaluation of tanh's rational form wobbles by an ulp; the clamp keeps
    /// it at or below 1 for every float in [7, 9] (and so everywhere: beyond the clamp it is constant),
    /// and monotone within an ulp.
    @Test func tanhNeverExceedsOne() {
        var x: [Float] = []
        var v: Float = 7
        while v <= 9 {
            x.append(v)
            v = v.nextUp.nextUp.nextUp  // every third float: ~350 000 values
        }
        let t = Activations.tanh(x)
        #expect(t.allSatisfy { $0 <= 1 })
        #expect(Activations.tanh(x.map { -$0 }) == t.map { -$0 })
        #expect(t.last == 1)
    }
}
