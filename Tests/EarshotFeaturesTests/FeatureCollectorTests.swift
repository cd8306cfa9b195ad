import EarshotFeatures
import Foundation
import Testing

/// `FeatureCollector` gathers a signal's features block by block, exactly as `Fbank` computes them on the
/// whole signal, and refuses the signal as soon as it passes its frame limit, not at its end.
@Suite struct FeatureCollectorTests {
    /// One second of a low tone with a little high-frequency content at 16 kHz: 98 frames.
    static let signal: [Float] = (0..<16000).map { i in
        let t = Double(i)
        return Float(0.3 * sin(t * 0.05) + 0.01 * sin(t * 1.3))
    }

    @Test(arguments: [1, 160, 1000, 16000])
    func blocksGiveTheFeaturesOfTheWholeSignal(blockSize: Int) throws {
        var collector = try FeatureCollector(options: FbankOptions())
        for start in stride(from: 0, to: Self.signal.count, by: blockSize) {
            try collector.accept(Array(Self.signal[start..<min(start + blockSize, Self.signal.count)]))
        }
        #expect(try collector.finish() == (try Fbank(options: FbankOptions()).compute(Self.signal)))
    }

    /// A signal of 98 frames with a limit of 50: refused at the block that passes 50, never later.
    @Test func aSignalOverTheLimitIsRefusedAsItArrives() throws {
        var collector = try FeatureCollector(options: FbankOptions(), frameLimit: 50)
        var accepted = 0
        let error = try #require(throws: FeatureError.self) {
            for start in stride(from: 0, to: Self.signal.count, by: 1600) {
                try collector.accept(Array(Self.signal[start..<start + 1600]))
                accepted += 1600
            }
        }
        #expect(error == .tooLong(limit: 50, frameShiftSeconds: 0.01))
        #expect(accepted < 50 * 160 + 400, "refused only after \(accepted) samples")
        #expect(
            error.description
                == "the input is longer than the limit of 50 frames (0.5 s at a 10 ms frame shift), "
                + "whose features are held in memory until it ends")
        #expect(
            FeatureError.tooLong(limit: FeatureCollector.defaultFrameLimit, frameShiftSeconds: 0.01).description
                .hasPrefix("the input is longer than the limit of 1440000 frames (4 h at a 10 ms frame shift)"))
    }

    @Test func aSignalOfExactlyTheLimitIsAccepted() throws {
        var collector = try FeatureCollector(options: FbankOptions(), frameLimit: 98)
        try collector.accept(Self.signal)
        #expect(try collector.finish().frameCount == 98)
    }

    @Test func theLimitAndTheLengthAreChecked() throws {
        #expect(throws: FeatureError.invalidOption(field: "frameLimit", requirement: "must be at least 1, got 0")) {
            try FeatureCollector(options: FbankOptions(), frameLimit: 0)
        }
        var collector = try FeatureCollector(options: FbankOptions())
        try collector.accept(Array(Self.signal.prefix(100)))
        #expect(throws: FeatureError.tooShort(samples: 100, minimum: 400, sampleRate: 16000)) {
            try collector.finish()
        }
    }
}
