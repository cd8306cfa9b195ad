import EarshotNN
import EarshotTestSupport
import XCTest

/// `clipGradientNorm` by hand and against `torch.nn.utils.clip_grad_norm_` (cases `clip_*` of
/// `Fixtures/adam_reference.safetensors`), and `gradientsAreFinite`.
final class GradientClippingTests: XCTestCase {
    /// (3, 4) has norm 5; clipped to 1 it becomes (3, 4) / (5 + 1e-6).
    func testByHand() {
        let p = Parameter(name: "p", shape: [2], value: [0, 0])
        p.gradient = [3, 4]
        XCTAssertEqual(clipGradientNorm([p], maxNorm: 1), 5)
        XCTAssertEqual(p.gradient, [Float(3 / (5 + 1e-6)), Float(4 / (5 + 1e-6))])
    }

    /// The norm is global over all parameters, not per tensor; below the limit nothing changes.
    func testGlobalNormAndNoClippingBelowLimit() {
        let a = Parameter(name: "a", shape: [1], value: [0]), b = Parameter(name: "b", shape: [2], value: [0, 0])
        a.gradient = [2]
        b.gradient = [-1, 2]  // total √(4 + 1 + 4) = 3
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 3.5), 3)
        XCTAssertEqual(a.gradient + b.gradient, [2, -1, 2])
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1.5), 3)
        let scale = Float(1.5 / (3 + 1e-6))
        XCTAssertEqual(a.gradient + b.gradient, [2 * scale, -1 * scale, 2 * scale])
    }

    /// PyTorch's returned norm and clipped gradients, for a case that clips and one that does not.
    func testMatchesPyTorch() throws {
        let (tensors, reference) = try AdamTests.loadReference()
        for name in ["clip_active", "clip_inactive"] {
            let info = try XCTUnwrap(reference.cases[name])
            let parameters = (0..<2).map { i in
                let before = tensors["\(name)/g\(i)/before"]!
                let p = Parameter(name: "g\(i)", shape: before.shape)
                p.gradient = before.values
                return p
            }
            let norm = clipGradientNorm(parameters, maxNorm: try XCTUnwrap(info.max_norm))
            // PyTorch sums in float32, we in Double: they agree to float32 rounding (~1e-7 relative).
            XCTAssertEqual(Double(norm), try XCTUnwrap(info.total_norm), accuracy: 1e-6 * info.total_norm!, name)
            for (i, p) in parameters.enumerated() {
                AdamTests.assertRelativelyClose(
                    p.gradient, tensors["\(name)/g\(i)/after"]!.values, relative: 1e-6, "\(name) g\(i)")
            }
        }
    }

    func testFrozenParametersAreIgnored() {
        let live = Parameter(name: "live", shape: [1], value: [0]),
            frozen = Parameter(name: "frozen", shape: [1], value: [0])
        live.gradient = [10]
        frozen.gradient = [1000]
        frozen.isFrozen = true
        XCTAssertEqual(clipGradientNorm([live, frozen], maxNorm: 1), 10)
        XCTAssertEqual(frozen.gradient, [1000])
        XCTAssertEqual(live.gradient[0], Float(10 / (10 + 1e-6)))
        frozen.gradient = [.nan]
        XCTAssertTrue(gradientsAreFinite([live, frozen]))
    }

    /// Zero gradients: norm 0 and no division trouble.
    func testZeroGradients() {
        let p = Parameter(name: "p", shape: [3])
        XCTAssertEqual(clipGradientNorm([p], maxNorm: 1), 0)
        XCTAssertEqual(p.gradient, [0, 0, 0])
        XCTAssertEqual(clipGradientNorm([], maxNorm: 1), 0)
    }

    /// An inf or NaN gradient: the non-finite norm is returned and the gradients are left alone (the
    /// caller skips the step); `gradientsAreFinite` says so beforehand.
    func testNonFiniteGradients() {
        let p = Parameter(name: "p", shape: [3])
        XCTAssertTrue(gradientsAreFinite([p]))
        for bad: Float in [.infinity, -.infinity, .nan] {
            p.gradient = [1, bad, 2]
            XCTAssertFalse(gradientsAreFinite([p]), "\(bad)")
            XCTAssertFalse(clipGradientNorm([p], maxNorm: 1).isFinite, "\(bad)")
            XCTAssertEqual(p.gradient[0], 1)
            XCTAssertEqual(p.gradient[2], 2)
        }
        // Large but finite: squares overflow Float, not the Double sum.
        p.gradient = [3e38, 3e38, 0]
        XCTAssertTrue(gradientsAreFinite([p]))
        XCTAssertEqual(clipGradientNorm([p], maxNorm: 1), Float(3e38 * 2.0.squareRoot()), accuracy: 1e32)
        XCTAssertEqual(p.gradient[0], Float(1 / 2.0.squareRoot()), accuracy: 1e-6)
    }
}
