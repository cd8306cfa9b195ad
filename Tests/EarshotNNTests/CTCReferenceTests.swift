import Testing

@testable import EarshotNN

/// Tier 2 of the CTC tests: losses and gradients against PyTorch's `ctc_loss` on the fixture cases
/// (`Fixtures/ctc_cases.json`; made by `Scripts/fixtures/make_ctc_fixtures.py`): the benchmark's
/// reference size (T = 333, B = 16, V = 29, 140–160 labels with repeats), varied input and target
/// lengths with a tight fit, an empty target and an impossible one, V = 5 cases with blank 0 and 2,
/// and peaky logits (scale 25).
///
/// The reference is torch in float64 on the same float32 logits; Earshot also computes in double
/// after the logits, so the two agree far more closely than float32 arithmetic could:
/// - log-likelihoods (Double, internal API) to relative 1e-12: each frame adds a log-sum-exp error of
///   ≲ 3e-14 nats, ≲ 1e-11 nats over 333 frames against losses of ~1,000 nats (measured: 3e-15).
/// - losses (the public Float) to relative 1e-7: one Float rounding, ≤ 6e-8 (measured 5e-8).
///   Torch's own float32 losses are stored too; they agree with ours to relative 1e-5, the bound for
///   float32 log-alphas — their spacing near 1,000 nats is 6e-5 = 6e-8 relative, and T = 333 frames
///   of log-sum-exps accumulate it (measured 6e-7).
/// - gradients to absolute 1.2e-7: both sides round a Double within ~1e-13 of the same value to
///   Float, so they differ at most where a rounding flips, by one Float spacing (≤ 6e-8 for entries
///   in [0.5, 1), and we allow two; measured: identical except 2e-16 in one place). Torch's float32
///   gradient would miss this by ~1e-3 at T = 333 (`make_ctc_fixtures.py` prints and stores the
///   number): exp(α + β − log p) cancels three float32 quantities of ~1,000 nats whose spacing is 6e-5.
@Suite struct CTCReferenceTests {
    static let cases = (try? CTCFixtureCase.all()) ?? []

    @Test func fixturesArePresent() {
        #expect(Self.cases.map(\.name) == ["reference", "varied", "small", "small_blank2", "peaky"])
    }

    @Test(arguments: cases)
    func lossesAndGradientMatchTorch(_ fixture: CTCFixtureCase) throws {
        let batch = try fixture.batch()
        let (results, gradient) = batch.run()
        let logLikelihoods = batch.logLikelihoods()
        for b in 0..<fixture.B {
            guard let expected = fixture.losses[b] else {
                #expect(results[b].loss == nil, "\(fixture.name)[\(b)]: torch says impossible, we say \(results[b])")
                continue
            }
            let loss = try #require(results[b].loss, "\(fixture.name)[\(b)]: we say \(results[b])")
            let logLikelihood = try #require(logLikelihoods[b])
            #expect(abs(-logLikelihood - expected) <= 1e-12 * expected, "\(fixture.name)[\(b)]: \(-logLikelihood)")
            #expect(abs(Double(loss) - expected) <= 1e-7 * expected, "\(fixture.name)[\(b)]: \(loss) vs \(expected)")
            let torch32 = try #require(fixture.losses_float32[b])
            #expect(abs(Double(loss) - torch32) <= 1e-5 * torch32, "\(fixture.name)[\(b)]: vs torch float32 \(torch32)")
        }
        expectClose(gradient, try fixture.referenceGradient(), tolerance: 1.2e-7, "\(fixture.name) gradient")
    }
}
