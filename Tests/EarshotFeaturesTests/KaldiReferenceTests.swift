import EarshotAudio
import EarshotFeatures
import EarshotTestSupport
import Foundation
import XCTest

/// Our filterbank against kaldi-native-fbank and torchaudio's Kaldi fbank, on the clips and option sets
/// in `Fixtures/cases.json` (made by `Scripts/fixtures/make_fbank_fixtures.py`; see Fixtures/README.md).
final class KaldiReferenceTests: XCTestCase {
    /// A case of `cases.json`: a clip, Kaldi's options for it, and the reference outputs.
    struct Case: Decodable {
        var name: String
        var wav: String
        var options: [String: OptionValue]
        var kaldi_native_fbank: String
        var torchaudio: String?
        /// Kaldi's algorithm in float64, `<name>.exact.npy`.
        var exact: String { name + ".exact.npy" }
    }

    enum OptionValue: Decodable {
        case number(Double)
        case flag(Bool)
        case text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .flag(b)
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .text(try c.decode(String.self))
            }
        }
        var number: Double { if case .number(let d) = self { d } else { .nan } }
        var flag: Bool { if case .flag(let b) = self { b } else { false } }
        var text: String { if case .text(let s) = self { s } else { "" } }
    }

    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// Kaldi's option names mapped onto ours.
    static func fbankOptions(_ o: [String: OptionValue]) -> FbankOptions {
        var f = FbankOptions()
        f.frame.sampleRate = o["samp_freq"]!.number
        f.frame.frameShiftMs = o["frame_shift_ms"]!.number
        f.frame.frameLengthMs = o["frame_length_ms"]!.number
        f.frame.dither = Float(o["dither"]!.number)
        f.frame.preemphasisCoefficient = Float(o["preemph_coeff"]!.number)
        f.frame.removeDCOffset = o["remove_dc_offset"]!.flag
        f.frame.windowType = WindowType(rawValue: o["window_type"]!.text)!
        f.frame.roundToPowerOfTwo = o["round_to_power_of_two"]!.flag
        f.frame.blackmanCoefficient = o["blackman_coeff"]!.number
        f.frame.snipEdges = o["snip_edges"]!.flag
        f.mel.binCount = Int(o["num_bins"]!.number)
        f.mel.lowFrequency = o["low_freq"]!.number
        f.mel.highFrequency = o["high_freq"]!.number
        f.useEnergy = o["use_energy"]!.flag
        f.energyFloor = Float(o["energy_floor"]!.number)
        f.rawEnergy = o["raw_energy"]!.flag
        f.useLogFbank = o["use_log_fbank"]!.flag
        f.usePower = o["use_power"]!.flag
        return f
    }

    /// Three references per case:
    /// - `exact`: Kaldi's algorithm in float64 (`Scripts/fixtures/kaldi_fbank_float64.py`). We must be
    ///   within 1e-3 of it everywhere (we compute the FFT in double and reach ~2e-4; what is left is
    ///   float32 output and filter weights).
    /// - kaldi-native-fbank and torchaudio: both compute in float32, and their FFT's rounding error
    ///   reaches ~2e-3 in the log of the lowest mel bins of some frames (where pre-emphasis leaves a
    ///   billionth of the frame's power): they disagree with each other by up to 3.4e-3 there, so no
    ///   port can be within 1e-3 of both everywhere. We require, per value,
    ///   `|ours − ref| ≤ 1e-3 + |ref − exact|` (all disagreement beyond 1e-3 is the reference's own
    ///   float32 error), and 99.9% of values within 1e-3 outright.
    /// Linear (not log) energies are compared relative to the largest value.
    func testMatchesKaldiNativeFbankAndTorchaudio() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("cases.json"))
        let cases = try JSONDecoder().decode([Case].self, from: data)
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for c in cases {
            let options = Self.fbankOptions(c.options)
            let audio = try AudioFile.read(path: Self.fixtures.appendingPathComponent(c.wav).path)
            XCTAssertEqual(Double(audio.sampleRate), options.frame.sampleRate, c.name)
            let ours = try Fbank(options: options).compute(audio.samples)
            let exact = try FeatureMatrix(npyAt: Self.fixtures.appendingPathComponent(c.exact).path)
            XCTAssertEqual(ours.frameCount, exact.frameCount, "\(c.name): frames")
            XCTAssertEqual(ours.dimension, exact.dimension, "\(c.name): dimension")
            guard ours.values.count == exact.values.count else { continue }
            let scale = options.useLogFbank ? 1 : exact.values.map(abs).max()!
            let tolerance: Float = 1e-3
            let (worst, at) = maxAbsoluteDifference(ours.values, exact.values)
            print(
                String(
                    format: "%-28@ vs exact              max|diff| %.2e at (%d, %d)", c.name, worst / scale,
                    at / ours.dimension, at % ours.dimension))
            XCTAssertLessThanOrEqual(worst / scale, tolerance, "\(c.name) vs exact")

            for (reference, file) in [("kaldi-native-fbank", c.kaldi_native_fbank), ("torchaudio", c.torchaudio)] {
                guard let file else { continue }
                let expected = try FeatureMatrix(npyAt: Self.fixtures.appendingPathComponent(file).path)
                XCTAssertEqual(expected.values.count, ours.values.count, "\(c.name) vs \(reference): shape")
                guard expected.values.count == ours.values.count else { continue }
                var excess: Float = 0, outside = 0, largest: Float = 0
                for i in ours.values.indices {
                    let difference = abs(ours.values[i] - expected.values[i]) / scale
                    let ownError = abs(expected.values[i] - exact.values[i]) / scale
                    largest = max(largest, difference)
                    excess = max(excess, difference - ownError)
                    if difference > tolerance { outside += 1 }
                }
                let share = Double(outside) / Double(ours.values.count)
                print(
                    String(
                        format: "%-28@ vs %-18@ max|diff| %.2e, beyond its own error %.2e, over 1e-3: %.3f%%",
                        c.name, reference, largest, excess, 100 * share))
                XCTAssertLessThanOrEqual(
                    excess, tolerance, "\(c.name) vs \(reference): beyond the reference's own error")
                XCTAssertLessThanOrEqual(share, 0.001, "\(c.name) vs \(reference): share of values over 1e-3")
            }
        }
    }
}
