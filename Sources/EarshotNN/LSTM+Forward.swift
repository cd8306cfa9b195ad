extension LSTM {
    /// Runs this direction over a padded batch and saves what `backward` needs in `workspace`.
    ///
    /// 1. `gates (T·B, 4H) ← X (T·B, I) · W_ihᵀ`: one `sgemm` for every step;
    /// 2. for each step in this direction's order: `gates[t] += h_prev · W_hhᵀ` (one `sgemm` over the
    ///    step's active rows — `SequenceBatchShape.activeRowCount` — or, for a single active row, the
    ///    same product as `W_hh · h_prev`, which OpenBLAS does about 2× faster), then `forwardStep`
    ///    (adds `b_ih + b_hh`, activations, state, output).
    ///
    /// - Parameters:
    ///   - input: `X (T, B, I)`, row `t·B + b` at `input + (t·B + b)·inputStride` (`inputStride ≥ I`,
    ///     default `I`). Padded rows are ignored (but must be finite, `SequenceBatchShape`).
    ///   - output: `(T, B, H)`, row `t·B + b` at `output + (t·B + b)·outputStride` (default `H`; `2H`
    ///     with an offset of `H` writes the reverse half of a bidirectional layer's output). Written:
    ///     `h_t`, zero at padding. `backward` reads it back, so leave it unchanged until then.
    ///   - initialState: `(h, c)` before the first step, `(B, H)` each, zero if `nil` — the state a
    ///     streaming recognizer carries from the previous chunk. Forward direction only (the reverse
    ///     direction of a chunk always starts fresh at each sequence's end).
    ///
    /// Afterwards `workspace.finalState` is the state after each sequence's last step.
    public func forward(
        input: UnsafePointer<Float>, inputStride: Int? = nil,
        output: UnsafeMutablePointer<Float>, outputStride: Int? = nil,
        shape: SequenceBatchShape, workspace: Workspace, initialState: LSTMState? = nil
    ) {
        let inputStride = inputStride ?? inputSize, outputStride = outputStride ?? hiddenSize
        let T = shape.timeSteps, B = shape.batchSize, H = hiddenSize, G = 4 * hiddenSize
        precondition(workspace.hiddenSize == H, "workspace is for H = \(workspace.hiddenSize), layer has \(H)")
        precondition(inputStride >= inputSize && outputStride >= H, "strides \(inputStride), \(outputStride) too small")
        precondition(initialState == nil || direction == .forward, "initialState is for the forward direction only")
        workspace.begin(shape)
        prepare(workspace, batchSize: B, initialState: initialState)
        guard T > 0 && B > 0 else {
            gatherFinalState(output: output, outputStride: outputStride, shape: shape, workspace: workspace)
            return
        }

        let gates = workspace.gates
        let usesTransposedWeight = (0..<T).contains { shape.activeRowCount(at: $0) > 1 }
        weightInput.value.withUnsafeBufferPointer { wih in
            weightHidden.value.withUnsafeBufferPointer { whh in
                shape.lengths.withUnsafeBufferPointer { lengths in
                    // gates (T·B, 4H) = X (T·B, I) · W_ihᵀ (I, 4H)
                    BLAS.sgemm(
                        .none, .transpose, m: T * B, n: G, k: inputSize, alpha: 1,
                        a: input, lda: inputStride, b: wih.baseAddress!, ldb: inputSize,
                        beta: 0, c: gates, ldc: G)
                    if usesTransposedWeight {
                        LSTM.transpose(whh.baseAddress!, rows: G, columns: H, into: workspace.transposedWeightHidden)
                    }
                    for step in 0..<T {
                        let t = time(ofStep: step, timeSteps: T)
                        let previous = previousTime(of: t, timeSteps: T)
                        let stepGates = gates + t * B * G
                        let active = shape.activeRowCount(at: t)
                        // The hidden state entering step t: the previous step's output rows, or the
                        // initial state (none when it is zero: the product would add nothing).
                        let previousHidden: (UnsafePointer<Float>, Int)? =
                            if let previous { (UnsafePointer(output + previous * B * outputStride), outputStride) }
                            else if workspace.hasInitialState { (UnsafePointer(workspace.initialHidden), H) }
                            else { nil }
                        if let (hPrev, hStride) = previousHidden, active > 0 {
                            if active == 1 {
                                // gates[t][0] (4H, 1) += W_hh (4H, H) · h_prev[0] (H, 1)
                                BLAS.sgemm(
                                    .none, .none, m: G, n: 1, k: H, alpha: 1,
                                    a: whh.baseAddress!, lda: H, b: hPrev, ldb: 1,
                                    beta: 1, c: stepGates, ldc: 1)
                            } else {
                                // gates[t] (active, 4H) += h_prev (active, H) · W_hhᵀ (H, 4H)
                                BLAS.sgemm(
                                    .none, .none, m: active, n: G, k: H, alpha: 1,
                                    a: hPrev, lda: hStride, b: workspace.transposedWeightHidden, ldb: G,
                                    beta: 1, c: stepGates, ldc: G)
                            }
                        }
                        let previousCell: UnsafePointer<Float>? =
                            if let previous { UnsafePointer(workspace.cells + previous * B * H) }
                            else if workspace.hasInitialState { UnsafePointer(workspace.initialCell) }
                            else { nil }
                        LSTM.forwardStep(
                            gates: stepGates, bias: workspace.biasSum, previousCell: previousCell,
                            cell: workspace.cells + t * B * H, cellTanh: workspace.cellTanh + t * B * H,
                            hidden: output + t * B * outputStride, hiddenStride: outputStride,
                            time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                    }
                }
            }
        }
        gatherFinalState(output: output, outputStride: outputStride, shape: shape, workspace: workspace)
    }

    /// Bias sum and initial state into the workspace.
    private func prepare(_ workspace: Workspace, batchSize: Int, initialState: LSTMState?) {
        let H = hiddenSize, G = 4 * hiddenSize
        biasInput.value.withUnsafeBufferPointer { bih in
            biasHidden.value.withUnsafeBufferPointer { bhh in
                for j in 0..<G { workspace.biasSum[j] = bih[j] + bhh[j] }
            }
        }
        let count = batchSize * H
        if let initialState {
            precondition(
                initialState.hidden.count == count,
                "initialState has \(initialState.hidden.count) values, expected (B, H) = \(count)")
            workspace.initialHidden.update(from: initialState.hidden, count: count)
            workspace.initialCell.update(from: initialState.cell, count: count)
            workspace.hasInitialState = true
        } else {
            workspace.initialHidden.update(repeating: 0, count: count)
            workspace.initialCell.update(repeating: 0, count: count)
            workspace.hasInitialState = false
        }
    }

    /// Copies each sequence's last state (`t = lengths[b] − 1` forward, `t = 0` reverse) into
    /// `workspace.finalHidden/finalCell`; a sequence of length 0 keeps the initial state.
    private func gatherFinalState(
        output: UnsafePointer<Float>, outputStride: Int, shape: SequenceBatchShape, workspace: Workspace
    ) {
        let B = shape.batchSize, H = hiddenSize
        for b in 0..<B {
            let length = shape.lengths[b]
            let h = workspace.finalHidden + b * H, c = workspace.finalCell + b * H
            guard length > 0 else {
                h.update(from: workspace.initialHidden + b * H, count: H)
                c.update(from: workspace.initialCell + b * H, count: H)
                continue
            }
            let t = direction == .forward ? length - 1 : 0
            h.update(from: output + (t * B + b) * outputStride, count: H)
            c.update(from: workspace.cells + (t * B + b) * H, count: H)
        }
    }
}
