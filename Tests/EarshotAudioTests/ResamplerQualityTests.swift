import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// The resampler's acceptance tests, on pure tones: passband tones keep amplitude (within 0.1 dB) and
/// phase, tones that would alias or image into the output band are attenuated by at least 60 dB.
///
/// Measurements use 1 s of output from the middle of a longer signal (edges are where the zero padding
/// shows), so every integer-Hz tone spans whole periods and `tone(in:)` measures it exactly.
final class ResamplerQualityTests: XCTestCase {
    /// Resamples 1.5 s of a tone (amplitude 0.5, phase 0.3 rad) from `inputRate` to `outputRate` and returns
    /// the output with the 1 s analysis window in its middle.
    func resampledTone(_ frequency: Double, from inputRate: Int, to outputRate: Int)
        -> (output: [Float], window: Range<Int>)
    {
        let input = sine(frequency: frequency, rate: inputRate, count: inputRate * 3 / 2, phase: 0.3)
        let output = Resampler.resample(input, from: inputRate, to: outputRate)
        XCTAssertEqual(output.count, Int((Double(input.count) * Double(outputRate) / Double(inputRate)).rounded()))
        return (output, outputRate / 4..<outputRate * 5 / 4)
    }

    /// Passband: amplitude within 0.1 dB and phase within 1e-3 rad (alignment; 1e-3 rad at 7 kHz is 23 ns), and
    /// the waveform itself within `tolerance` of the ideal tone at every sample of the window.
    func assertPassband(
        _ frequency: Double, from inputRate: Int, to outputRate: Int, tolerance: Float = 2e-4,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let (output, window) = resampledTone(frequency, from: inputRate, to: outputRate)
        let (amplitude, phase) = tone(in: output, frequency: frequency, rate: outputRate, range: window)
        let gain = decibels(amplitude / 0.5)
        XCTAssertEqual(gain, 0, accuracy: 0.1, "\(frequency) Hz, \(inputRate) → \(outputRate)", file: file, line: line)
        XCTAssertEqual(phase, 0.3, accuracy: 1e-3, "phase of \(frequency) Hz", file: file, line: line)
        let ideal = sine(frequency: frequency, rate: outputRate, count: output.count, phase: 0.3)
        assertClose(
            Array(output[window]), Array(ideal[window]), tolerance: tolerance,
            "\(frequency) Hz waveform, \(inputRate) → \(outputRate)", file: file, line: line)
    }

    /// Downsampling 48 kHz → 16 kHz keeps 7 kHz (and everything below the 7.2 kHz passband edge).
    func testDownsamplingPassband() {
        for frequency in [100.0, 1000, 4000, 7000, 7200] {
            assertPassband(frequency, from: 48000, to: 16000)
        }
    }

    /// Tones above 8 kHz at 48 kHz would alias into 0–8 kHz at 16 kHz (10 kHz → 6 kHz): output RMS must be
    /// ≥ 60 dB below input RMS. That is the requirement; the design promises 80 dB from the 8 kHz stopband
    /// edge on (measured: 83.9 dB at 8.2 kHz, 95 dB at 10 kHz), so the test holds it to 80.
    func testDownsamplingRejectsAliases() {
        for frequency in [8200.0, 10000, 16000, 23900] {
            let (output, window) = resampledTone(frequency, from: 48000, to: 16000)
            let attenuation = -decibels(rms(output, window) / (0.5 / 2.squareRoot()))
            XCTAssertGreaterThanOrEqual(attenuation, 80, "\(frequency) Hz leaks into the 16 kHz output")
        }
    }

    /// 8 kHz telephone audio → 16 kHz: 1 kHz keeps its amplitude; its image at 8 − 1 = 7 kHz is ≥ 60 dB down.
    func testUpsamplingTelephoneAudio() {
        assertPassband(1000, from: 8000, to: 16000)
        assertPassband(3500, from: 8000, to: 16000)
        let (output, window) = resampledTone(1000, from: 8000, to: 16000)
        let image = tone(in: output, frequency: 7000, rate: 16000, range: window).amplitude
        XCTAssertGreaterThanOrEqual(-decibels(image / 0.5), 80, "image of 1 kHz at 7 kHz (measured: 137 dB down)")
    }

    /// 44.1 kHz → 16 kHz (L/M = 160/441) and other common pairs.
    func testOtherRatePairs() {
        assertPassband(1000, from: 44100, to: 16000)
        assertPassband(6500, from: 44100, to: 16000)
        assertPassband(3000, from: 22050, to: 16000)
        assertPassband(3000, from: 11025, to: 16000)
        assertPassband(5000, from: 16000, to: 48000)
        let (output, window) = resampledTone(12000, from: 44100, to: 16000)
        XCTAssertGreaterThanOrEqual(-decibels(rms(output, window) / (0.5 / 2.squareRoot())), 60)
    }

    /// An odd pair with no small ratio (44 101 → 16 000, L = 16 000 phases) uses the interpolated table and
    /// still meets the passband and stopband targets.
    func testOddRatePairUsesInterpolatedPhases() {
        XCTAssertTrue(PolyphaseFilter(inputRate: 44101, outputRate: 16000, options: .init()).isInterpolated)
        assertPassband(1000, from: 44101, to: 16000)
        assertPassband(7000, from: 44101, to: 16000)
        let (output, window) = resampledTone(10000, from: 44101, to: 16000)
        XCTAssertGreaterThanOrEqual(-decibels(rms(output, window) / (0.5 / 2.squareRoot())), 60)
    }

    /// Every phase is normalised to unit DC gain, so a constant stays exactly that constant (away from the
    /// zero-padded edges).
    func testConstantStaysConstant() {
        for (from, to) in [(48000, 16000), (8000, 16000), (44100, 16000), (44101, 16000)] {
            let output = Resampler.resample([Float](repeating: 0.5, count: from / 10), from: from, to: to)
            let middle = Array(output[to / 40..<to * 3 / 40])
            assertClose(middle, [Float](repeating: 0.5, count: middle.count), tolerance: 2e-6, "DC \(from) → \(to)")
        }
    }
}
