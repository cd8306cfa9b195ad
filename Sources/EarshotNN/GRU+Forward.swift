extension GRU {
    /// Runs this direction over a padded batch and saves what `backward` needs in `workspace`.
    ///
    /// 1. `gates (T·B, 3H) ← X (T·B, I) · W_ihᵀ`: one `sgemm` for every step;
    /// 2. for each step in this direction's order: `hiddenGates[t] ← h_prev · W_hhᵀ` over the step's active
    ///    rows (zero when `h_prev` is zero), in `LSTM.recurrentColumnBlock`-column products from `W_hhᵀ`
    ///    transposed once per call (the form measured fastest for the LSTM, `LSTM.forward`), then
    ///    `forwardStep` (biases, gates, state, output).
    ///
    /// - Parameters:
    ///   - input: `X (T, B, I)`, row `t·B + b` at `input + (t·B + b)·inputStride` (default `I`). Padded rows
    ///     are ignored (but must be finite).
    ///   - output: `(T, B, H)`, rows `outputStride` apart (default `H`), written: `h_t`, zero at padding.
    ///     `backward` reads it back, so leave it unchanged until then.
    ///   - initialState: `h` before the first step, `(B, H)` (its `cell` is ignored), zero if `nil`.
    ///     Forward direction only.
    ///
    /// Afterwards `workspace.finalState` is the state after each sequence's last step.
    public func forward(
        input: UnsafePointer<Float>, inputStride: Int? = nil,
        output: UnsafeMutablePointer<Float>, outputStride: Int? = nil,
        shape: SequenceBatchShape, workspace: Workspace, initialState: LSTMState? = nil
    ) {
        let inputStride = inputStride ?? inputSize
        let outputStride = outputStride ?? hiddenSize
        let T = shape.timeSteps
        let B = shape.batchSize
        let H = hiddenSize
        let G = 3 * hiddenSize
        precondition(workspace.hiddenSize == H, "workspace is for H = \(workspace.hiddenSize), layer has \(H)")
        precondition(inputStride >= inputSize && outputStride >= H, "strides \(inputStride), \(outputStride) too small")
        precondition(initialState == nil || direction == .forward, "initialState is for the forward direction only")
        workspace.begin(shape)
        prepare(workspace, batchSize: B, initialState: initialState)
        workspace.savedForBackward = quantizedWeights == nil
        guard T > 0 && B > 0 else {
            gatherFinalState(output: output, outputStride: outputStride, shape: shape, workspace: workspace)
            return
        }
        if let quantizedWeights {
            forwardQuantized(
                quantizedWeights, input: input, inputStride: inputStride, output: output, outputStride: outputStride,
                shape: shape, workspace: workspace)
            gatherFinalState(output: output, outputStride: outputStride, shape: shape, workspace: workspace)
            return
        }
        let gates = workspace.gates
        let hiddenGates = workspace.hiddenGates
        weightInput.value.withUnsafeBufferPointer { wih in
            weightHidden.value.withUnsafeBufferPointer { whh in
                shape.lengths.withUnsafeBufferPointer { lengths in
                    // gates (T·B, 3H) = X (T·B, I) · W_ihᵀ (I, 3H)
                    BLAS.sgemm(
                        .none, .transpose, m: T * B, n: G, k: inputSize, alpha: 1,
                        a: input, lda: inputStride, b: wih.baseAddress!, ldb: inputSize,
                        beta: 0, c: gates, ldc: G)
                    LSTM.transpose(whh.baseAddress!, rows: G, columns: H, into: workspace.transposedWeightHidden)
                    for step in 0..<T {
                        let t = direction.time(ofStep: step, timeSteps: T)
                        let stepHiddenGates = hiddenGates + t * B * G
                        let active = shape.activeRowCount(at: t)
                        let previous = previousHidden(
                            of: t, timeSteps: T, batchSize: B, output: output, outputStride: outputStride,
                            workspace: workspace)
                        if let (hPrev, hStride) = previous, active > 0 {
                            // hiddenGates[t] (active, 3H) = h_prev (active, H) · W_hhᵀ (H, 3H), 64 columns at a time
                            var column = 0
                            while column < G {
                                let n = min(LSTM.recurrentColumnBlock, G - column)
                                BLAS.sgemm(
                                    .none, .none, m: active, n: n, k: H, alpha: 1,
                                    a: hPrev, lda: hStride, b: workspace.transposedWeightHidden + column, ldb: G,
                                    beta: 0, c: stepHiddenGates + column, ldc: G)
                                column += n
                            }
                        } else {
                            stepHiddenGates.update(repeating: 0, count: B * G)
                        }
                        GRU.forwardStep(
                            gates: gates + t * B * G, hiddenGates: stepHiddenGates, bias: workspace.bias,
                            previousHidden: previous, hidden: output + t * B * outputStride,
                            hiddenStride: outputStride, time: t, lengths: lengths.baseAddress!, batchSize: B,
                            hiddenSize: H)
                    }
                }
            }
        }
        gatherFinalState(output: output, outputStride: outputStride, shape: shape, workspace: workspace)
    }

    /// The hidden state entering step `t` and its row stride: the previous step's output rows, or the
    /// initial state; `nil` when it is zero.
    func previousHidden(
        of t: Int, timeSteps: Int, batchSize: Int, output: UnsafePointer<Float>, outputStride: Int,
        workspace: Workspace
    ) -> (UnsafePointer<Float>, Int)? {
        if let previous = direction.previousTime(of: t, timeSteps: timeSteps) {
            return (output + previous * batchSize * outputStride, outputStride)
        }
        return workspace.hasInitialState ? (UnsafePointer(workspace.initialHidden), hiddenSize) : nil
    }

    /// Sets the workspace's bias `[b_ir + b_hr, b_iz + b_hz, b_in, b_hn]` and initial state.
    func prepare(_ workspace: Workspace, batchSize: Int, initialState: LSTMState?) {
        let H = hiddenSize
        biasInput.value.withUnsafeBufferPointer { bih in
            biasHidden.value.withUnsafeBufferPointer { bhh in
                for j in 0..<(2 * H) { workspace.bias[j] = bih[j] + bhh[j] }
                for j in 0..<H {
                    workspace.bias[2 * H + j] = bih[2 * H + j]
                    workspace.bias[3 * H + j] = bhh[2 * H + j]
                }
            }
        }
        let count = batchSize * H
        if let initialState {
            precondition(
                initialState.hidden.count == count,
                "initialState has \(initialState.hidden.count) values, expected (B, H) = \(count)")
            workspace.initialHidden.update(from: initialState.hidden, count: count)
            workspace.hasInitialState = true
        } else {
            workspace.initialHidden.update(repeating: 0, count: count)
            workspace.hasInitialState = false
        }
    }

    /// Copies each sequence's last state (`t = lengths[b] − 1` forward, `t = 0` reverse) into
    /// `workspace.finalHidden`; a sequence of length 0 keeps the initial state.
    func gatherFinalState(
        output: UnsafePointer<Float>, outputStride: Int, shape: SequenceBatchShape, workspace: Workspace
    ) {
        let B = shape.batchSize
        let H = hiddenSize
        for b in 0..<B {
            let length = shape.lengths[b]
            let h = workspace.finalHidden + b * H
            guard length > 0 else {
                h.update(from: workspace.initialHidden + b * H, count: H)
                continue
            }
            let t = direction == .forward ? length - 1 : 0
            h.update(from: output + (t * B + b) * outputStride, count: H)
        }
    }
}
