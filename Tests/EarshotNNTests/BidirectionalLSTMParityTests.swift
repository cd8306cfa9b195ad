import Testing

@testable import EarshotNN

/// The acoustic model's network against PyTorch (`Scripts/fixtures/make_lstm_fixtures.py`): a
/// 2- or 3-layer bidirectional `nn.LSTM` or `nn.GRU` (the `gru_*` cases) over a padded batch (`pack_padded_sequence`), `nn.Linear`,
/// `log_softmax`, and the gradients of `L = Σ g ⊙ logprobs` for every parameter and the input. The
/// reference ran in float64 on the same float32 values, so the differences below are Earshot's float32
/// rounding (plus the fast activations' ≤ 2.5e-7) alone.
///
/// Tolerances.
/// - Outputs (LSTM stack and log-probs): max |diff| ≤ 1e-5, 10× inside the model-level requirement
///   (1e-4). Each pre-activation is a float32 sum of up to 2H + 2H + 1 products (≤ 130 here) of O(1)
///   values, off by ~√n·6e-8 ≈ 1e-6 at worst, and the LSTM is contractive in its state, so this does
///   not grow with T. Measured: 1.2e-7 (small) and 4.8e-7 (large, log-probs).
/// - Gradients: per tensor, max |diff| ≤ 1e-5 × its largest |value|. Weight gradients are sums over
///   T·B rows (160 in the large case) of back-propagated products, each term carrying the forward's
///   relative rounding and the backward recursion's; relative to the largest value, because entries
///   that cancel to ~0 cannot be known to more absolute digits than the large ones they cancel.
///   Measured worst: 7.3e-7 of the largest (grad.lstm.weight_hh_l0, large case), so 1e-5 is ~13×
///   above it.
/// The GRU's numbers have the same structure (sums of ≤ 2H + 1 products per pre-activation; the state
/// a convex mix of the old state and a tanh), so the same tolerances hold for it. Measured worst:
/// outputs 4.8e-7 (gru_large, log-probs), gradients 8.0e-7 of the largest (grad.lstm.bias_ih_l0,
/// gru_large).
@Suite struct BidirectionalLSTMParityTests {
    init() { pinOpenBLASToOneThread() }

    struct Model {
        let lstm: BidirectionalLSTM
        let linear: Linear
        let workspace: BidirectionalLSTM.Workspace
        let fixture: LSTMFixture

        init(_ name: String, schedule: BidirectionalLSTM.Schedule = .concurrentDirections) throws {
            fixture = try LSTMFixture(named: name)
            let configuration = BidirectionalLSTM.Configuration(
                inputSize: fixture.integer("I"), hiddenSize: fixture.integer("H"),
                layerCount: fixture.integer("layers"),
                cell: try #require(RecurrentCell(rawValue: fixture.metadata["cell"] ?? "lstm")))
            let parameters = fixture.parameters
            lstm = try BidirectionalLSTM(configuration: configuration, prefix: "lstm.", parameters: parameters)
            linear = Linear(weight: parameters["output.weight"]!, bias: parameters["output.bias"]!)
            workspace = BidirectionalLSTM.Workspace(configuration: configuration)
            workspace.schedule = schedule
        }

        var allParameters: [Parameter] { lstm.parameters + linear.parameters }

        /// Forward to log-probs and backward from the fixture's upstream gradient; returns
        /// (lstm output, logprobs, dL/dinput).
        func run() -> (hidden: [Float], logprobs: [Float], inputGradient: [Float]) {
            for p in allParameters { p.zeroGradient() }
            let shape = fixture.shape
            let rows = shape.rowCount
            let V = linear.outputSize
            let input = fixture.values("input")
            let hidden = lstm.forward(input, shape: shape, workspace: workspace)
            var logprobs = [Float](repeating: 0, count: rows * V)
            var logitGradient = [Float](repeating: 0, count: rows * V)
            var hiddenGradient = [Float](repeating: 0, count: rows * lstm.configuration.outputSize)
            let upstream = fixture.values("upstream")
            hidden.withUnsafeBufferPointer { h in
                logprobs.withUnsafeMutableBufferPointer { y in
                    linear.forward(input: h.baseAddress!, rows: rows, output: y.baseAddress!)
                    LogSoftmax.forward(input: y.baseAddress!, output: y.baseAddress!, rows: rows, columns: V)
                    upstream.withUnsafeBufferPointer { g in
                        logitGradient.withUnsafeMutableBufferPointer { dz in
                            LogSoftmax.backward(
                                output: y.baseAddress!, outputGradient: g.baseAddress!, inputGradient: dz.baseAddress!,
                                rows: rows, columns: V)
                            hiddenGradient.withUnsafeMutableBufferPointer { dh in
                                linear.backward(
                                    input: h.baseAddress!, rows: rows, outputGradient: dz.baseAddress!,
                                    inputGradient: dh.baseAddress!)
                            }
                        }
                    }
                }
            }
            let inputGradient = lstm.backward(input, outputGradient: hiddenGradient, workspace: workspace)
            return (hidden, logprobs, inputGradient)
        }
    }

    @Test(arguments: ["lstm_small", "lstm_large", "gru_small", "gru_large"])
    func matchesPyTorch(_ name: String) throws {
        let model = try Model(name)
        let (hidden, logprobs, inputGradient) = model.run()
        expectClose(hidden, model.fixture.values("lstm_output"), tolerance: 1e-5, "\(name) lstm output")
        expectClose(logprobs, model.fixture.values("logprobs"), tolerance: 1e-5, "\(name) logprobs")
        let expectedInputGradient = model.fixture.values("grad.input")
        expectClose(
            inputGradient, expectedInputGradient, tolerance: 1e-5 * largestMagnitude(expectedInputGradient),
            "\(name) grad.input")
        for p in model.allParameters {
            let expected = model.fixture.values("grad." + p.name)
            expectClose(p.gradient, expected, tolerance: 1e-5 * largestMagnitude(expected), "\(name) grad.\(p.name)")
        }
    }

    /// The two schedules compute the same products on the same rows in the same order: identical bits,
    /// outputs and every gradient (OpenBLAS at 1 thread in both; with 2 threads its GEMMs may sum in
    /// another order, see `pinOpenBLASToOneThread`). The input gradient's rows are split between the threads
    /// where OpenBLAS's kernels give every row the bits one product gives (`BidirectionalLSTM.rowSplit`):
    /// at `rows / 2` this failed on the Haswell and Zen kernels by up to 4.8e-7.
    @Test(arguments: ["lstm_large", "gru_large"])
    func concurrentAndSequentialDirectionsAreIdentical(_ name: String) throws {
        let concurrent = try Model(name, schedule: .concurrentDirections)
        let a = concurrent.run()
        let aGradients = concurrent.allParameters.map(\.gradient)
        let sequential = try Model(name, schedule: .sequential)
        let b = sequential.run()
        expectClose(a.hidden, b.hidden, tolerance: 0, "hidden")
        expectClose(a.logprobs, b.logprobs, tolerance: 0, "logprobs")
        expectClose(a.inputGradient, b.inputGradient, tolerance: 0, "input gradient")
        for (p, gradient) in zip(sequential.allParameters, aGradients) {
            expectClose(gradient, p.gradient, tolerance: 0, p.name)
        }
    }
}
