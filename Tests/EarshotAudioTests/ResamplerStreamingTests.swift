import EarshotTestSupport
import XCTest

@testable import EarshotAudio

/// The resampler's bookkeeping: output length, identity, chunked = one-shot, reuse after flush.
final class ResamplerStreamingTests: XCTestCase {
    static let ratePairs = [
        (48000, 16000), (44100, 16000), (8000, 16000), (16000, 44100), (22050, 16000), (16000, 8000),
        (44101, 16000), (1000, 384_000),
    ]

    /// round(n·to/from) samples for every length, including the empty and single-sample signals.
    func testOutputLength() {
        for (from, to) in Self.ratePairs {
            for n in [0, 1, 2, 3, 7, 100, 1001, 4410] {
                let expected = Int((Double(n) * Double(to) / Double(from)).rounded())
                let output = Resampler.resample(seededNoise(count: n, seed: UInt64(n)), from: from, to: to)
                XCTAssertEqual(output.count, expected, "n = \(n), \(from) → \(to)")
            }
        }
    }

    func testIdentityRateReturnsInputUnchanged() {
        let input = seededNoise(count: 1234, seed: 1) + [.nan, 7]
        XCTAssertEqual(Resampler.resample(input, from: 16000, to: 16000).count, input.count)
        XCTAssertTrue(
            zip(Resampler.resample(input, from: 16000, to: 16000), input).allSatisfy { $0.bitPattern == $1.bitPattern })
        var resampler = Resampler(from: 8000, to: 8000)
        XCTAssertEqual(resampler.process(Array(input.prefix(10))), Array(input.prefix(10)))
        XCTAssertEqual(resampler.flush(), [])
        XCTAssertEqual(resampler.latency, 0)
    }

    /// Feeding random chunk sizes (including empty chunks) gives bit-identical output to one call.
    func testChunkedEqualsOneShot() {
        var generator = SplitMix(seed: 42)
        for (from, to) in Self.ratePairs {
            let input = seededNoise(count: from / 5, seed: UInt64(from))
            let oneShot = Resampler.resample(input, from: from, to: to)
            var resampler = Resampler(from: from, to: to)
            var chunked: [Float] = []
            var offset = 0
            while offset < input.count {
                let size = min(Int(generator.next() % 700), input.count - offset)  // 0 ..< 700
                chunked += resampler.process(Array(input[offset..<offset + size]))
                offset += size
            }
            chunked += resampler.flush()
            XCTAssertEqual(chunked.count, oneShot.count, "\(from) → \(to)")
            assertClose(chunked, oneShot, tolerance: 0, "chunked vs one-shot, \(from) → \(to)")
        }
    }

    /// Sample-by-sample streaming holds back no more than `latency` input samples' worth of output.
    func testStreamingLatency() {
        var resampler = Resampler(from: 48000, to: 16000)
        let latency = resampler.latency
        var produced = 0
        for n in 1...3000 {
            produced += resampler.process([0.1]).count
            // Output k (at input time 3k) is complete once input 3k + latency has arrived.
            XCTAssertEqual(produced, n > latency ? (n - latency - 1) / 3 + 1 : 0, "after \(n) inputs")
        }
    }

    /// After `flush` the resampler starts a new stream: the same input gives the same output again.
    func testFlushResets() {
        let input = seededNoise(count: 5000, seed: 3)
        var resampler = Resampler(from: 44100, to: 16000)
        let first = resampler.process(input) + resampler.flush()
        let second = resampler.process(input) + resampler.flush()
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, Resampler.resample(input, from: 44100, to: 16000))
    }

    /// The interpolated table (fewer phases than L) stays close to the exact one: with P = 128 phases the
    /// coefficient error is ≈ h''·(1/P)²/8, about 1e-4 of full scale on noise.
    func testInterpolatedPhasesMatchExactPhases() {
        let input = seededNoise(count: 8820, seed: 8)
        let exact = Resampler.resample(input, from: 44100, to: 16000)
        var coarse = Resampler(from: 44100, to: 16000, options: .init(maxPhaseCount: 128))
        let interpolated = coarse.process(input) + coarse.flush()
        assertClose(interpolated, exact, tolerance: 2e-4, "P = 128 vs exact L = 160")
    }

    func testOptionsAreCodableWithDocumentedDefaults() throws {
        let options = Resampler.Options()
        XCTAssertEqual(options.passbandEdge, 0.45)
        XCTAssertEqual(options.stopbandEdge, 0.5)
        XCTAssertEqual(options.stopbandAttenuation, 80)
        XCTAssertEqual(options.cutoff, 0.475, accuracy: 1e-12)
        XCTAssertEqual(options.kaiserBeta, 7.857, accuracy: 1e-3)
        let custom = Resampler.Options(
            passbandEdge: 0.4, stopbandEdge: 0.48, stopbandAttenuation: 100, maxPhaseCount: 64)
        let decoded = try JSONDecoder().decode(Resampler.Options.self, from: JSONEncoder().encode(custom))
        XCTAssertEqual(decoded, custom)
    }
}

/// A tiny seeded generator (SplitMix64) for reproducible chunk sizes.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
