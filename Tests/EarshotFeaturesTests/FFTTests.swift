import EarshotFeatures
import EarshotTestSupport
import XCTest

final class FFTTests: XCTestCase {
    /// FFTW's float32 FFT against a double-precision O(N²) DFT. Power values of noise with amplitude
    /// 0.5 over N points reach ~N²/4·… ; the float FFT's error grows like log2(N)·eps relative to the
    /// signal energy, so we compare relative to the largest power: 1e-5 is ~100 ulp of it.
    func testFFTMatchesNaiveDFT() {
        for size in [512, 400, 256, 64] {
            let signal = seededNoise(count: size, seed: UInt64(size))
            let fast = fftPowerSpectrum(signal), slow = naivePowerSpectrum(signal)
            let scale = slow.max()!
            assertClose(fast.map { $0 / scale }, slow.map { $0 / scale }, tolerance: 1e-5, "N = \(size)")
        }
    }

    func testPureToneLandsInItsBin() {
        let n = 512
        let signal = (0..<n).map { Float(cos(2 * Double.pi * 32 * Double($0) / Double(n))) }
        let power = fftPowerSpectrum(signal)
        XCTAssertEqual(power.firstIndex(of: power.max()!), 32)
        XCTAssertEqual(power[32], Float(n * n) / 4, accuracy: 1)
    }
}
