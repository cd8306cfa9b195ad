import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// The pieces under the resampler: Bessel I₀, Kaiser's formulas, the polyphase table, the dot product.
final class FilterDesignTests: XCTestCase {
    /// I₀ against values from Abramowitz & Stegun table 9.8 (and scipy.special.i0).
    func testBesselI0() {
        XCTAssertEqual(KaiserWindow.besselI0(0), 1)
        XCTAssertEqual(KaiserWindow.besselI0(1), 1.2660658777520082, accuracy: 1e-15)
        XCTAssertEqual(KaiserWindow.besselI0(5), 27.239871823604442, accuracy: 1e-12)
        XCTAssertEqual(KaiserWindow.besselI0(10), 2815.716628466254, accuracy: 1e-9)
    }

    func testKaiserFormulas() {
        XCTAssertEqual(KaiserWindow.beta(attenuation: 80), 0.1102 * 71.3, accuracy: 1e-12)
        XCTAssertEqual(KaiserWindow.beta(attenuation: 40), 0.5842 * pow(19, 0.4) + 0.07886 * 19, accuracy: 1e-12)
        XCTAssertEqual(KaiserWindow.beta(attenuation: 20), 0)
        // 80 dB over a transition of 0.05/3 cycles per sample (48 k → 16 k in input samples): ≈ 301 taps.
        XCTAssertEqual(KaiserWindow.length(attenuation: 80, transitionWidth: 800.0 / 48000), 301.0, accuracy: 0.1)
        XCTAssertEqual(KaiserWindow.value(at: 0, halfWidth: 10, beta: 8), 1, accuracy: 1e-15)
        XCTAssertEqual(
            KaiserWindow.value(at: 10, halfWidth: 10, beta: 8), 1 / KaiserWindow.besselI0(8), accuracy: 1e-15)
        XCTAssertEqual(KaiserWindow.value(at: 10.5, halfWidth: 10, beta: 8), 0)
    }

    /// Table shape for the pairs the front end meets, and unit DC gain on every phase.
    func testPolyphaseTable() {
        let down = PolyphaseFilter(inputRate: 48000, outputRate: 16000, options: .init())
        XCTAssertEqual([down.upFactor, down.downFactor, down.phaseCount, down.halfTaps], [1, 3, 1, 152])
        let telephone = PolyphaseFilter(inputRate: 8000, outputRate: 16000, options: .init())
        XCTAssertEqual(
            [telephone.upFactor, telephone.downFactor, telephone.phaseCount, telephone.halfTaps], [2, 1, 2, 56])
        let cd = PolyphaseFilter(inputRate: 44100, outputRate: 16000, options: .init())
        XCTAssertEqual([cd.upFactor, cd.downFactor, cd.phaseCount], [160, 441, 160])
        XCTAssertFalse(cd.isInterpolated)
        XCTAssertEqual(cd.coefficients.count, 160 * cd.tapCount)
        for p in 0..<cd.phaseCount {
            let row = cd.coefficients[p * cd.tapCount..<(p + 1) * cd.tapCount]
            XCTAssertEqual(row.reduce(0.0) { $0 + Double($1) }, 1, accuracy: 1e-5, "phase \(p)")
        }
        // h is even, so the phase at φ is the mirror image of the phase at 1 − φ: row_φ[k] = row_{1−φ}[K−1−k].
        for p in 1..<cd.phaseCount {
            let row = Array(cd.coefficients[p * cd.tapCount..<(p + 1) * cd.tapCount])
            let mirror = cd.coefficients[(cd.phaseCount - p) * cd.tapCount..<(cd.phaseCount - p + 1) * cd.tapCount]
            assertClose(row, mirror.reversed(), tolerance: 1e-7, "phase \(p) vs \(cd.phaseCount - p)")
        }
    }

    func testSharedTablesAreReused() {
        let a = PolyphaseFilter.shared(inputRate: 44100, outputRate: 16000, options: .init())
        let b = PolyphaseFilter.shared(inputRate: 88200, outputRate: 32000, options: .init())  // same L/M
        XCTAssertTrue(a === b)
    }

    /// The fast dot product against the naive Double one, for every length 0…100 and unaligned starts.
    /// Tolerance: Float rounding of ≤ 100 products of magnitude ≤ 0.25, ≈ 100 · 2⁻²⁴ · 0.25 ≈ 1.5e-6.
    func testDotProductMatchesNaive() {
        let a = seededNoise(count: 103, seed: 1)
        let b = seededNoise(count: 103, seed: 2)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for count in 0...100 {
                    for offset in 0..<3 {
                        let fast = DotProduct.vectorized(a.baseAddress! + offset, b.baseAddress!, count: count)
                        let slow = DotProduct.naive(a.baseAddress! + offset, b.baseAddress!, count: count)
                        XCTAssertEqual(fast, slow, accuracy: 2e-6, "count \(count), offset \(offset)")
                    }
                }
            }
        }
    }
}
