import EarshotTestSupport
import XCTest

@testable import EarshotFeatures

final class MelBankTests: XCTestCase {
    func testSparseApplyMatchesDenseProduct() {
        let bank = MelBank(options: MelBankOptions(), sampleRate: 16000, paddedWindowSize: 512)
        let spectrum =
            seededNoise(count: 257, seed: 7).map { $0 * $0 * 1e6 }
            + [Float](repeating: 0, count: MelBank.spectrumCapacity(paddedWindowSize: 512) - 257)
        var sparse = [Float](repeating: 0, count: bank.binCount)
        spectrum.withUnsafeBufferPointer { s in
            sparse.withUnsafeMutableBufferPointer { bank.apply(spectrum: s.baseAddress!, output: $0.baseAddress!) }
        }
        let dense = bank.denseMatrix(fftBinCount: 256)
        let naive = (0..<bank.binCount).map { b in
            (0..<256).reduce(Float(0)) { $0 + dense[b * 256 + $1] * spectrum[$1] }
        }
        // Same products, summed in another order: float rounding only.
        assertClose(sparse.map { $0 / 1e6 }, naive.map { $0 / 1e6 }, tolerance: 1e-4)
    }

    func testTrianglesCoverTheBandAndPeakAtOne() {
        let bank = MelBank(options: MelBankOptions(), sampleRate: 16000, paddedWindowSize: 512)
        XCTAssertEqual(bank.binCount, 80)
        for b in 0..<bank.binCount {
            let weights = bank.weights[bank.weightOffsets[b]..<bank.weightOffsets[b + 1]]
            XCTAssertFalse(weights.isEmpty, "filter \(b) is empty")
            XCTAssertLessThanOrEqual(weights.max()!, 1)
            XCTAssertGreaterThan(weights.min()!, 0)
        }
        // Filter edges in Hz: the first starts just above 20 Hz, the last ends below 8 kHz.
        XCTAssertEqual(bank.firstBin[0], 1)
        let last = bank.binCount - 1
        XCTAssertLessThan(bank.firstBin[last] + bank.weightOffsets[last + 1] - bank.weightOffsets[last], 257)
    }

    func testHighFrequencyOffsetFromNyquist() {
        var options = MelBankOptions()
        options.highFrequency = -400
        XCTAssertEqual(options.resolvedHighFrequency(sampleRate: 16000), 7600)
        options.highFrequency = 5000
        XCTAssertEqual(options.resolvedHighFrequency(sampleRate: 16000), 5000)
        options.highFrequency = 9000
        XCTAssertThrowsError(try options.validate(sampleRate: 16000))
    }

    /// The vectorised log against libm over 14 decades: Cephes' polynomial is within a few ulp, far
    /// below the 1e-3 we allow end to end.
    func testFastLogMatchesLibm() {
        var x: [Float] = []
        var v: Float = 1e-7
        while v < 1e12 { x.append(v); v *= 1.37 }
        while x.count % 8 != 0 { x.append(1) }
        var fast = x
        fast.withUnsafeMutableBufferPointer { flooredLogInPlace($0.baseAddress!, count: $0.count, floor: .ulpOfOne) }
        let reference = x.map { logf(max($0, .ulpOfOne)) }
        assertClose(fast, reference, tolerance: 4e-6)
    }
}
