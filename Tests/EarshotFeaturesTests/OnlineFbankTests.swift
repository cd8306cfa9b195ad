import EarshotFeatures
import EarshotTestSupport
import XCTest

final class OnlineFbankTests: XCTestCase {
    private func chunked(_ samples: [Float], options: FbankOptions, seed: UInt64) throws -> FeatureMatrix {
        var extractor = try OnlineFbank(options: options)
        var result = FeatureMatrix(dimension: options.dimension)
        var state = seed, position = 0
        while position < samples.count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Chunks from 1 sample to over three frames, so frames straddle several chunks.
            let size = min(Int(state >> 33) % 1300 + 1, samples.count - position)
            result.append(try extractor.accept(Array(samples[position..<position + size])))
            position += size
        }
        result.append(extractor.finish())
        return result
    }

    /// Streaming must give exactly the offline frames (same per-frame computer, same samples), for
    /// both edge conventions and with dither on.
    func testRandomChunksGiveTheOfflineFramesExactly() throws {
        let samples = seededNoise(count: 16000 + 437, seed: 3)
        for (snip, dither) in [(true, Float(0)), (false, 0), (true, 1.0), (false, 1.0)] {
            var options = FbankOptions()
            options.frame.snipEdges = snip
            options.frame.dither = dither
            options.frame.ditherSeed = 11
            options.useEnergy = true
            let offline = try Fbank(options: options).compute(samples)
            for seed in 1...3 as ClosedRange<UInt64> {
                let online = try chunked(samples, options: options, seed: seed)
                XCTAssertEqual(online.frameCount, offline.frameCount, "snip \(snip) dither \(dither)")
                XCTAssertEqual(online.values, offline.values, "snip \(snip) dither \(dither) seed \(seed)")
            }
        }
    }

    func testFramesAppearAsSoonAsTheirLastSampleArrives() throws {
        var extractor = try OnlineFbank()
        XCTAssertEqual(try extractor.accept([Float](repeating: 0.1, count: 399)).frameCount, 0)
        XCTAssertEqual(try extractor.accept([0.1]).frameCount, 1)  // 400 samples: frame 0
        XCTAssertEqual(try extractor.accept([Float](repeating: 0.1, count: 159)).frameCount, 0)
        XCTAssertEqual(try extractor.accept([0.1]).frameCount, 1)  // 560 samples: frame 1
        XCTAssertEqual(extractor.finish().frameCount, 0)
    }

    func testFrameCountsFollowKaldi() {
        var frame = FrameExtractionOptions()
        // snip-edges: 1 + (N − 400) / 160.
        XCTAssertEqual(frame.frameCount(sampleCount: 16000), 98)
        XCTAssertEqual(frame.frameCount(sampleCount: 399), 0)
        XCTAssertEqual(frame.frameCount(sampleCount: 400), 1)
        frame.snipEdges = false
        // Centred frames: (N + 80) / 160.
        XCTAssertEqual(frame.frameCount(sampleCount: 16000), 100)
        XCTAssertEqual(frame.frameCount(sampleCount: 100), 1)
        XCTAssertEqual(frame.firstSample(ofFrame: 0), -120)
        // Before the end is known only frames that end inside the signal count.
        XCTAssertEqual(frame.frameCount(sampleCount: 16000, flush: false), 99)  // frame 99 would end at 16120
    }

    func testDitherIsSeeded() throws {
        let samples = seededNoise(count: 4000, seed: 5, amplitude: 0.001)
        var options = FbankOptions()
        options.frame.dither = 1
        options.frame.ditherSeed = 1
        let a = try Fbank(options: options).compute(samples)
        let b = try Fbank(options: options).compute(samples)
        options.frame.ditherSeed = 2
        let c = try Fbank(options: options).compute(samples)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testBadInputGivesClearErrors() throws {
        let fbank = try Fbank()
        XCTAssertThrowsError(try fbank.compute([])) { error in
            XCTAssertEqual(error as? FeatureError, .tooShort(samples: 0, minimum: 400, sampleRate: 16000))
            XCTAssertTrue("\(error)".contains("too short"), "\(error)")
        }
        XCTAssertThrowsError(try fbank.compute([Float](repeating: 0, count: 399)))
        var samples = [Float](repeating: 0, count: 1000)
        samples[700] = .nan
        XCTAssertThrowsError(try fbank.compute(samples)) {
            XCTAssertEqual($0 as? FeatureError, .nonFiniteSample(index: 700))
        }
        var options = FbankOptions()
        options.frame.frameShiftMs = 0
        XCTAssertThrowsError(try Fbank(options: options)) {
            XCTAssertTrue("\($0)".contains("frame.frameShiftMs must"), "\($0)")
        }
        options = FbankOptions()
        options.mel.lowFrequency = 9000
        XCTAssertThrowsError(try Fbank(options: options)) {
            XCTAssertTrue("\($0)".contains("mel.lowFrequency must"), "\($0)")
        }
    }

    /// Digital silence hits the log floor: log(FLT_EPSILON) in every bin, as in Kaldi.
    func testSilenceIsFlooredNotInfinite() throws {
        let features = try Fbank().compute([Float](repeating: 0, count: 1600))
        XCTAssertEqual(features.frameCount, 8)
        for v in features.values { XCTAssertEqual(v, logf(.ulpOfOne), accuracy: 1e-5) }
    }

    func testOptionsRoundTripThroughJSON() throws {
        var options = FbankOptions()
        options.mel.binCount = 40
        options.frame.windowType = .hamming
        let data = try JSONEncoder().encode(options)
        XCTAssertEqual(try JSONDecoder().decode(FbankOptions.self, from: data), options)
    }
}
