import EarshotNN
import EarshotTestSupport
import Foundation
import XCTest

/// Adam / AdamW in four tiers: an analytic first step, PyTorch's `torch.optim.Adam`/`AdamW`
/// (`Fixtures/adam_reference.safetensors`, made by `Scripts/fixtures/make_adam_fixtures.py`), a naive
/// `Double` twin of the paper's formula, and exact resumption from exported state.
final class AdamTests: XCTestCase {
    /// The reference file's cases, from its `__metadata__["reference"]` JSON.
    struct Reference: Decodable {
        struct Case: Decodable {
            var optimizer: String?
            var betas: [Double]?
            var eps: Double?
            var weight_decay: Double?
            var lrs: [Float]?
            var steps: Int?
            var parameters: [String]?
            var max_norm: Float?
            var total_norm: Double?
        }
        var source: String
        var cases: [String: Case]
    }

    static func loadReference() throws -> (tensors: [String: Tensor], reference: Reference) {
        let url = SafeTensorsTests.fixture("adam_reference.safetensors")
        let (tensors, metadata) = try SafeTensors.read(path: url.path)
        let reference = try JSONDecoder().decode(Reference.self, from: Data(try XCTUnwrap(metadata["reference"]).utf8))
        return (tensors, reference)
    }

    /// Fails unless |actual − expected| ≤ relative · max(|expected|, 1) everywhere; prints the worst.
    static func assertRelativelyClose(
        _ actual: [Float], _ expected: [Float], relative: Float, _ message: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        var worst: Float = 0, at = 0
        for i in actual.indices {
            let error = abs(actual[i] - expected[i]) / max(abs(expected[i]), 1)
            if !(error <= worst) { worst = error; at = i }
        }
        if !(worst <= relative) {
            XCTFail(
                "\(message): relative error \(worst) > \(relative) at \(at) (got \(actual[at]), expected \(expected[at])); "
                    + "first got \(Array(actual.prefix(4))), expected \(Array(expected.prefix(4)))", file: file,
                line: line)
        }
    }

    // MARK: Tier 1: analytic

    /// At step 1, m̂ = g and v̂ = g², so every weight moves by lr·g/(|g| + ε) ≈ lr·sign(g), whatever
    /// the gradient's size; a zero gradient moves nothing.
    func testFirstStepMovesEveryWeightByTheLearningRate() {
        let p = Parameter(name: "p", shape: [5], value: [1, 1, 1, 1, 1])
        p.gradient = [3, -0.002, 1e4, 0, -7]
        Adam().update([p], learningRate: 0.01)
        let expected: [Float] = [0.99, 1.01, 0.99, 1, 1.01]
        assertClose(p.value, expected, tolerance: 1e-7, "step 1")
    }

    /// AdamW's decay alone: with a zero gradient, p ← p·(1 − lr·λ) and nothing else.
    func testDecoupledWeightDecayWithZeroGradient() {
        let p = Parameter(name: "p", shape: [2], value: [2, -4])
        Adam(options: AdamOptions(weightDecay: 0.5)).update([p], learningRate: 0.1)
        XCTAssertEqual(p.value, [2 * 0.95, -4 * 0.95])
    }

    // MARK: Tier 2: PyTorch

    /// Five steps of each reference case; parameters after every step and the final moments agree with
    /// PyTorch to 1e-6 relative. Measured (x86_64, debug and release): bit-identical, since our loop mirrors
    /// `_single_tensor_adam` operation for operation; the margin leaves room for an FMA or SIMD rewrite
    /// of the loop, which would move results by an ulp or two.
    func testMatchesPyTorch() throws {
        let (tensors, reference) = try Self.loadReference()
        let optimizerCases = reference.cases.filter { $0.value.optimizer != nil }
        XCTAssertEqual(Set(optimizerCases.keys), ["adam", "adamw_varying_lr", "adam_custom_small"])
        for (name, info) in optimizerCases.sorted(by: { $0.key < $1.key }) {
            let betas = try XCTUnwrap(info.betas), lrs = try XCTUnwrap(info.lrs)
            let options = AdamOptions(
                beta1: betas[0], beta2: betas[1], epsilon: try XCTUnwrap(info.eps),
                weightDecay: try XCTUnwrap(info.weight_decay))
            let parameters = try XCTUnwrap(info.parameters).map { p in
                let initial = tensors["\(name)/\(p)/initial"]!
                return Parameter(name: p, shape: initial.shape, value: initial.values)
            }
            let adam = Adam(options: options)
            for step in 1...(try XCTUnwrap(info.steps)) {
                for p in parameters { p.gradient = tensors["\(name)/\(p.name)/grad\(step)"]!.values }
                adam.update(parameters, learningRate: lrs[step - 1])
                for p in parameters {
                    Self.assertRelativelyClose(
                        p.value, tensors["\(name)/\(p.name)/after\(step)"]!.values, relative: 1e-6,
                        "\(name) \(p.name) step \(step)")
                }
            }
            let (state, globalStep) = adam.exportState()
            XCTAssertEqual(globalStep, info.steps)
            for p in parameters {
                Self.assertRelativelyClose(
                    state["\(p.name).exp_avg"]!.values, tensors["\(name)/\(p.name)/exp_avg"]!.values, relative: 1e-6,
                    "\(name) \(p.name) exp_avg")
                // v is ~g² (down to 1e-16 in the small-gradient case): compare relative to itself.
                let v = state["\(p.name).exp_avg_sq"]!.values, want = tensors["\(name)/\(p.name)/exp_avg_sq"]!.values
                for (got, expected) in zip(v, want) where abs(got - expected) > 1e-6 * abs(expected) {
                    XCTFail("\(name) \(p.name) exp_avg_sq: \(got) vs \(expected)")
                    break
                }
                XCTAssertEqual(state["\(p.name).step"]?.values, [Float(info.steps!)])
            }
        }
    }

    // MARK: Tier 3: naive twin

    /// The paper's formula in `Double` (m̂, v̂, then the step), against our `Float` loop over many steps
    /// with varied gradients; the difference stays at `Float` rounding level.
    func testAgreesWithNaiveDoubleFormula() {
        var random = SeededRandom(seed: 5)
        let n = 257, steps = 50
        let options = AdamOptions(beta1: 0.85, beta2: 0.995, epsilon: 1e-7, weightDecay: 0.01)
        let initial = random.floats(n)
        let p = Parameter(name: "p", shape: [n], value: initial)
        var value = initial.map(Double.init), m = [Double](repeating: 0, count: n), v = m
        let adam = Adam(options: options)
        for t in 1...steps {
            let lr: Float = 1e-3 * Float(t % 7 + 1)
            let gradient = random.floats(n).map { $0 * Float(t % 3 == 0 ? 100 : 1) }
            p.gradient = gradient
            adam.update([p], learningRate: lr)
            for i in 0..<n {
                let g = Double(gradient[i])
                value[i] *= 1 - Double(lr) * options.weightDecay
                m[i] = options.beta1 * m[i] + (1 - options.beta1) * g
                v[i] = options.beta2 * v[i] + (1 - options.beta2) * g * g
                let mHat = m[i] / (1 - pow(options.beta1, Double(t)))
                let vHat = v[i] / (1 - pow(options.beta2, Double(t)))
                value[i] -= Double(lr) * mHat / (vHat.squareRoot() + options.epsilon)
            }
        }
        // 50 steps of Float rounding on values of size ~1: a few ulps (1.2e-7 each) accumulate.
        assertClose(p.value, value.map { Float($0) }, tolerance: 2e-6, "after \(steps) steps")
    }

    // MARK: Tier 4: state and resumption

    /// 3 steps, export, import into a fresh optimizer (through a safetensors checkpoint in memory), 2 more
    /// steps: bit-identical to 5 steps straight.
    func testExportImportResumesExactly() throws {
        let (tensors, _) = try Self.loadReference()
        func makeParameters() -> [Parameter] {
            ["w", "b"].map { p in
                let t = tensors["adamw_varying_lr/\(p)/initial"]!
                return Parameter(name: "layer.\(p)", shape: t.shape, value: t.values)
            }
        }
        func feed(_ parameters: [Parameter], step: Int) {
            for p in parameters { p.gradient = tensors["adamw_varying_lr/\(p.name.dropFirst(6))/grad\(step)"]!.values }
        }
        let options = AdamOptions(weightDecay: 0.1)
        let lrs: [Float] = [1e-2, 2e-2, 5e-3, 1e-2, 3e-3]

        let straight = makeParameters()
        let uninterrupted = Adam(options: options)
        for step in 1...5 {
            feed(straight, step: step)
            uninterrupted.update(straight, learningRate: lrs[step - 1])
        }

        let resumed = makeParameters()
        let first = Adam(options: options)
        for step in 1...3 {
            feed(resumed, step: step)
            first.update(resumed, learningRate: lrs[step - 1])
        }
        let (state, step) = first.exportState()
        XCTAssertEqual(step, 3)
        XCTAssertEqual(
            Set(state.keys),
            [
                "layer.w.exp_avg", "layer.w.exp_avg_sq", "layer.w.step", "layer.b.exp_avg", "layer.b.exp_avg_sq",
                "layer.b.step",
            ])
        let checkpoint = try SafeTensors.encode(state, metadata: ["step": String(step)])
        let (restored, metadata) = try SafeTensors.decode(checkpoint)

        let second = Adam(options: options)
        try second.importState(restored, step: Int(metadata["step"]!)!, for: resumed)
        XCTAssertEqual(second.step, 3)
        for step in 4...5 {
            feed(resumed, step: step)
            second.update(resumed, learningRate: lrs[step - 1])
        }
        XCTAssertEqual(second.step, 5)
        for (a, b) in zip(resumed, straight) { XCTAssertEqual(a.value, b.value, a.name) }
        XCTAssertEqual(second.exportState().tensors, uninterrupted.exportState().tensors)
    }

    /// Frozen parameters are not touched and get no state; unfrozen later, a parameter counts its own
    /// steps from 1 (its first update has the step-1 bias correction, as a fresh optimizer would).
    func testFrozenParametersAndPerParameterSteps() {
        let a = Parameter(name: "a", shape: [2], value: [1, 2])
        let b = Parameter(name: "b", shape: [2], value: [3, 4])
        b.isFrozen = true
        a.gradient = [1, 1]
        b.gradient = [5, 5]
        let adam = Adam()
        adam.update([a, b], learningRate: 0.1)
        adam.update([a, b], learningRate: 0.1)
        XCTAssertEqual(b.value, [3, 4])
        XCTAssertNil(adam.exportState().tensors["b.exp_avg"])
        XCTAssertEqual(adam.exportState().tensors["a.step"]?.values, [2])

        b.isFrozen = false
        adam.update([a, b], learningRate: 0.1)
        let twin = Parameter(name: "b", shape: [2], value: [3, 4])
        twin.gradient = [5, 5]
        Adam().update([twin], learningRate: 0.1)
        XCTAssertEqual(b.value, twin.value)
        XCTAssertEqual(adam.exportState().tensors["b.step"]?.values, [1])
        XCTAssertEqual(adam.step, 3)
    }

    func testImportRejectsStateThatDoesNotFit() {
        let p = Parameter(name: "enc.w", shape: [2, 2])
        let good: [String: Tensor] = [
            "enc.w.exp_avg": Tensor(shape: [4], values: [0, 0, 0, 0]),
            "enc.w.exp_avg_sq": Tensor(shape: [4], values: [0, 0, 0, 0]),
            "enc.w.step": Tensor(shape: [], values: [3]),
        ]
        XCTAssertNoThrow(try Adam().importState(good, step: 3, for: [p]))

        func assertRejected(_ state: [String: Tensor], step: Int = 3, naming name: String, _ line: UInt = #line) {
            let adam = Adam()
            XCTAssertThrowsError(try adam.importState(state, step: step, for: [p]), line: line) { error in
                XCTAssertEqual((error as? OptimizerStateError)?.name, name, "\(error)", line: line)
            }
            XCTAssertEqual(adam.step, 0, "state unchanged after a failed import", line: line)
        }
        var wrongSize = good
        wrongSize["enc.w.exp_avg"] = Tensor(shape: [3], values: [0, 0, 0])
        assertRejected(wrongSize, naming: "enc.w")
        assertRejected(good.filter { $0.key != "enc.w.step" }, naming: "enc.w")
        var badStep = good
        badStep["enc.w.step"] = Tensor(shape: [], values: [2.5])
        assertRejected(badStep, naming: "enc.w")
        var unknown = good
        unknown["dec.w.exp_avg"] = Tensor(shape: [1], values: [0])
        unknown["dec.w.exp_avg_sq"] = Tensor(shape: [1], values: [0])
        unknown["dec.w.step"] = Tensor(shape: [], values: [1])
        assertRejected(unknown, naming: "dec.w")
        var stray = good
        stray["enc.w.momentum"] = Tensor(shape: [4], values: [0, 0, 0, 0])
        assertRejected(stray, naming: "enc.w.momentum")
        assertRejected(good, step: -1, naming: "step")
    }

    func testOptionsAreCodableWithPyTorchDefaults() throws {
        let options = AdamOptions()
        XCTAssertEqual([options.beta1, options.beta2, options.epsilon, options.weightDecay], [0.9, 0.999, 1e-8, 0])
        let decoded = try JSONDecoder().decode(
            AdamOptions.self, from: JSONEncoder().encode(AdamOptions(weightDecay: 0.01)))
        XCTAssertEqual(decoded, AdamOptions(weightDecay: 0.01))
    }
}
