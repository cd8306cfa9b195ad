import EarshotFeatures
import EarshotNN
import EarshotTraining
import Foundation
import XCTest

/// `VocalTractWarp` against a naive per-bin computation written out from the formula, and the
/// `--vtlp` option's parsing and validation.
final class VocalTractPerturbationTests: XCTestCase {
    private let fbank = FbankOptions()  // 80 bins, 20 Hz … 8 kHz at 16 kHz

    // MARK: naive reference

    private func mel(_ f: Double) -> Double { 1127 * log(1 + f / 700) }

    /// Centre of mel bin b of the default bank (80 bins, 20 Hz … 8 kHz), Hz.
    private func centre(_ b: Int, bins: Int = 80) -> Double {
        let melLow = mel(20), delta = (mel(8000) - melLow) / Double(bins + 1)
        return 700 * (exp((melLow + Double(b + 1) * delta) / 1127) - 1)
    }

    /// Kaldi's `VtlnWarpFreq` between the outer bins' centres, cutoffs 80 Hz above the lower and 500 Hz
    /// below the upper, written out.
    private func naiveWarp(_ f: Double, _ alpha: Double) -> Double {
        let low = centre(0), high = centre(79)
        let l = (low + 80) * max(alpha, 1), h = (high - 500) * min(alpha, 1)
        if f < low || f > high { return f }
        if f < l { return low + (l / alpha - low) / (l - low) * (f - low) }
        if f < h { return f / alpha }
        return high + (high - h / alpha) / (high - h) * (f - high)
    }

    /// Output bin b's fractional source position, one bin at a time.
    private func naivePosition(bin b: Int, alpha: Double, bins: Int = 80) -> Double {
        let melLow = mel(20), delta = (mel(8000) - melLow) / Double(bins + 1)
        return min(max((mel(naiveWarp(centre(b, bins: bins), alpha)) - melLow) / delta - 1, 0), Double(bins - 1))
    }

    private func naiveApply(_ input: [Float], frames: Int, alpha: Double, bins: Int = 80) -> [Float] {
        var out = [Float](repeating: 0, count: input.count)
        for t in 0..<frames {
            for b in 0..<bins {
                let p = naivePosition(bin: b, alpha: alpha, bins: bins)
                let i = min(Int(p), bins - 2), w = p - Double(i)
                out[t * bins + b] = Float((1 - w) * Double(input[t * bins + i]) + w * Double(input[t * bins + i + 1]))
            }
        }
        return out
    }

    private func randomFeatures(frames: Int, bins: Int = 80, seed: UInt64 = 7) -> FeatureMatrix {
        var state = seed
        let values = (0..<frames * bins).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 20 - 5
        }
        return FeatureMatrix(frameCount: frames, dimension: bins, values: values)
    }

    // MARK: the warp

    func testFactorOneIsTheIdentityBitForBit() throws {
        let input = randomFeatures(frames: 9)
        var features = input
        try VocalTractWarp(factor: 1, fbank: fbank).apply(to: &features)
        XCTAssertEqual(features, input)
        XCTAssertEqual(VocalTractWarp.warpFrequency(1234.5, factor: 1, low: 20, high: 8000), 1234.5)
    }

    func testMatchesTheNaivePerBinComputation() throws {
        let input = randomFeatures(frames: 5)
        for alpha in [0.8, 0.9, 0.95, 1.05, 1.1, 1.2] {
            var features = input
            try VocalTractWarp(factor: alpha, fbank: fbank).apply(to: &features)
            let expected = naiveApply(input.values, frames: 5, alpha: alpha)
            for (k, (a, b)) in zip(features.values, expected).enumerated() {
                XCTAssertEqual(a, b, accuracy: 1e-4, "α \(alpha), value \(k)")
            }
        }
    }

    /// A spectrum with one peak: α > 1 reads lower frequencies, so the peak moves up, to the bin whose
    /// source position is nearest the peak; α < 1 moves it down.
    func testASinglePeakMovesToTheExpectedBin() throws {
        let peak = 40, bins = 80
        var values = [Float](repeating: -10, count: bins)
        values[peak] = 0
        for alpha in [0.9, 1.1] {
            var features = FeatureMatrix(frameCount: 1, dimension: bins, values: values)
            try VocalTractWarp(factor: alpha, fbank: fbank).apply(to: &features)
            let moved = features.values.indices.max { features.values[$0] < features.values[$1] }!
            let expected = (0..<bins).min {
                abs(naivePosition(bin: $0, alpha: alpha) - Double(peak))
                    < abs(naivePosition(bin: $1, alpha: alpha) - Double(peak))
            }!
            XCTAssertEqual(moved, expected, "α \(alpha)")
            // In the linear middle of the band the peak's frequency is scaled by α.
            let melLow = mel(20), delta = (mel(8000) - melLow) / 81
            let expectedByFrequency = (mel(centre(peak) * alpha) - melLow) / delta - 1
            XCTAssertEqual(Double(moved), expectedByFrequency, accuracy: 0.5, "α \(alpha)")
            if alpha > 1 { XCTAssertGreaterThan(moved, peak) } else { XCTAssertLessThan(moved, peak) }
        }
    }

    /// The band's ends (the outer bins' centres) are fixed points of the warp, which is continuous and
    /// increasing: the first and last bins keep their values bit for bit.
    func testTheEndBinsStayFixed() throws {
        let (low, high) = VocalTractWarp.band(fbank)
        XCTAssertEqual(low, centre(0), accuracy: 1e-9)
        XCTAssertEqual(high, centre(79), accuracy: 1e-9)
        let input = randomFeatures(frames: 4)
        for alpha in [0.8, 0.9, 1.1, 1.2] {
            XCTAssertEqual(VocalTractWarp.warpFrequency(low, factor: alpha, low: low, high: high), low, accuracy: 1e-9)
            XCTAssertEqual(
                VocalTractWarp.warpFrequency(high, factor: alpha, low: low, high: high), high, accuracy: 1e-9)
            var previous = low
            for f in stride(from: low + 0.5, through: high, by: 0.5) {
                let w = VocalTractWarp.warpFrequency(f, factor: alpha, low: low, high: high)
                XCTAssertGreaterThan(w, previous, "α \(alpha), \(f) Hz")
                // Continuous: no step larger than the steepest segment's slope (3.4 at α = 1.2) allows.
                XCTAssertLessThan(w - previous, 0.5 * 3.5, "continuous: α \(alpha), \(f) Hz")
                XCTAssertEqual(w, naiveWarp(f, alpha), accuracy: 1e-9)
                previous = w
            }
            let warp = try VocalTractWarp(factor: alpha, fbank: fbank)
            var features = input
            warp.apply(to: &features)
            for t in 0..<4 {
                XCTAssertEqual(features.values[t * 80], input.values[t * 80], "α \(alpha): first bin")
                XCTAssertEqual(features.values[t * 80 + 79], input.values[t * 80 + 79], "α \(alpha): last bin")
            }
            // A flat spectrum stays flat: interpolation never reads outside the bank.
            var flat = FeatureMatrix(frameCount: 2, dimension: 80, values: .init(repeating: 3.25, count: 160))
            warp.apply(to: &flat)
            XCTAssertEqual(flat.values, .init(repeating: 3.25, count: 160))
        }
    }

    /// With the log energy first (`useEnergy`), that column is left alone and the mel bins warp as before.
    func testTheEnergyColumnIsLeftAlone() throws {
        var withEnergy = fbank
        withEnergy.useEnergy = true
        let mels = randomFeatures(frames: 3)
        var values: [Float] = []
        for t in 0..<3 { values += [Float(t) + 0.5] + mels.values[t * 80..<(t + 1) * 80] }
        var features = FeatureMatrix(frameCount: 3, dimension: 81, values: values)
        try VocalTractWarp(factor: 1.1, fbank: withEnergy).apply(to: &features)
        var warpedMels = mels
        try VocalTractWarp(factor: 1.1, fbank: fbank).apply(to: &warpedMels)
        for t in 0..<3 {
            XCTAssertEqual(features.values[t * 81], Float(t) + 0.5)
            XCTAssertEqual(
                Array(features.values[t * 81 + 1..<(t + 1) * 81]), Array(warpedMels.values[t * 80..<(t + 1) * 80]))
        }
    }

    // MARK: the option

    func testParsing() throws {
        XCTAssertEqual(try VocalTractPerturbation.parse("0.9,1.1"), .standard)
        XCTAssertEqual(
            try VocalTractPerturbation.parse(" 0.8 , 1.2 "),
            try VocalTractPerturbation(minimumFactor: 0.8, maximumFactor: 1.2))
        XCTAssertEqual(
            try VocalTractPerturbation.parse("1.05"),
            try VocalTractPerturbation(minimumFactor: 1.05, maximumFactor: 1.05))
        for off in ["0", "none", "None", "1", "1,1"] { XCTAssertNil(try VocalTractPerturbation.parse(off), off) }
        for bad in ["", "x", "1.1,0.9", "0.9,1,1.1", "3", "-1", "0.9,", "0.2,1.1", "nan", "0.9,inf"] {
            XCTAssertThrowsError(try VocalTractPerturbation.parse(bad), bad) { error in
                guard case TrainingError.invalidOptions = error else { return XCTFail("\(bad): \(error)") }
            }
        }
        XCTAssertEqual(VocalTractPerturbation.standard.argument, "0.9,1.1")
        XCTAssertEqual(TrainingOptions().vocalTractPerturbation, .standard, "on by default, ±10 %")
    }

    func testDrawsStayInTheRangeAndFollowTheGenerator() {
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let draws = (0..<200).map { _ in VocalTractPerturbation.standard.draw(using: &a) }
        XCTAssertTrue(draws.allSatisfy { (0.9...1.1).contains($0) })
        XCTAssertEqual(draws, (0..<200).map { _ in VocalTractPerturbation.standard.draw(using: &b) })
        XCTAssertLessThan(draws.min()!, 0.92)
        XCTAssertGreaterThan(draws.max()!, 1.08)
    }

    /// Options written before VTLP existed (no key) read as off, so old checkpoints resume unchanged;
    /// the option survives a round trip.
    func testCodable() throws {
        var options = TrainingOptions()
        options.vocalTractPerturbation = try VocalTractPerturbation(minimumFactor: 0.85, maximumFactor: 1.15)
        let data = try JSONEncoder().encode(options)
        XCTAssertEqual(try JSONDecoder().decode(TrainingOptions.self, from: data), options)
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertNotNil(object.removeValue(forKey: "vocalTractPerturbation"))
        let old = try JSONDecoder().decode(TrainingOptions.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertNil(old.vocalTractPerturbation)
    }

    /// A band too narrow for the warp's cutoffs is refused before training.
    func testValidationAgainstTheMelBand() throws {
        XCTAssertNoThrow(try VocalTractWarp.validate(.standard, fbank: fbank))
        var narrow = fbank
        narrow.mel.lowFrequency = 3000
        narrow.mel.highFrequency = 3400
        XCTAssertThrowsError(try VocalTractWarp.validate(.standard, fbank: narrow))
        XCTAssertThrowsError(try VocalTractWarp(factor: 1.1, fbank: narrow))
    }
}
