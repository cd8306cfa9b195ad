extension LSTM {
    /// Runs this direction over a padded batch and saves what `backward` needs in `workspace`.
    ///
    /// 1. `gates (T·B, 4H) ← X (T·B, I) · W_ihᵀ`: one `sgemm` for every step;
    /// 2. for each step in this direction's order: `gates[t] += h_prev · W_hhᵀ`, one `sgemm` over the
    ///    step's active rows (`SequenceBatchShape.activeRowCount`) with `W_hhᵀ (H, 4H)` transposed once
    ///    per call into the workspace, then `forwardStep` (adds `b_ih + b_hh`, activations, state,
    ///    output).
    ///
    /// The recurrent product's form was measured in place on the reference model (H = 256, OpenBLAS
    /// 0.3.21 SkylakeX kernels): for 16 rows, `(B, H)·(H, 4H)` from a transposed copy is ~30 % faster
    /// than `(B, H)·W_hhᵀ` through `transB`, and splitting it into `recurrentColumnBlock`-column
    /// products is another ~20 % of the whole forward pass (small products go to OpenBLAS's
    /// small-matrix kernels, which skip packing the 1 MB weight every step; a plain sgemm repacks it);
    /// for one row (batch-1 streaming) the same form beats `W_hh·h` as a matrix–vector product
    /// (OpenBLAS's small-matrix kernel or `sgemv`) by ~15 % of the forward pass.
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
        let inputStride = inputStride ?? inputSize
        let outputStride = outputStride ?? hiddenSize
        let T = shape.timeSteps
        let B = shape.batchSize
        let H = hiddenSize
        let G = 4 * hiddenSize
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
        weightInput.value.withUnsafeBufferPointer { wih in
            weightHidden.value.withUnsafeBufferPointer { whh in
                shape.lengths.withUnsafeBufferPointer { lengths in
                    // gates (T·B, 4H) = X (T·B, I) · W_ihᵀ (I, 4H)
                    BLAS.sgemm(
                        .none, .transpose, m: T * B, n: G, k: inputSize, alpha: 1,
                        a: input, lda: inputStride, b: wih.baseAddress!, ldb: inputSize,
                        beta: 0, c: gates, ldc: G)
                    LSTM.transpose(whh.baseAddress!, rows: G, columns: H, into: workspace.transposedWeightHidden)
                    for step in 0..<T {
                        let t = time(ofStep: step, timeSteps: T)
                        let stepGates = gates + t * B * G
                        let active = shape.activeRowCount(at: t)
                        let previousHidden = self.previousHidden(
                            of: t, timeSteps: T, batchSize: B, output: output, outputStride: outputStride,
                            workspace: workspace)
                        if let (hPrev, hStride) = previousHidden, active > 0 {
                            // gates[t] (active, 4H) += h_prev (active, H) · W_hhᵀ (H, 4H), 64 columns at a time
                            var column = 0
                            while column < G {
                                let n = min(LSTM.recurrentColumnBlock, G - column)
                                BLAS.sgemm(
                                    .none, .none, m: active, n: n, k: H, alpha: 1,
                                    a: hPrev, lda: hStride, b: workspace.transposedWeightHidden + column, ldb: G,
                                    beta: 1, c: stepGates + column, ldc: G)
                                column += n
                            }
                        }
                        let previousCell = self.previousCell(of: t, timeSteps: T, batchSize: B, workspace: workspace)
                        if peepholes != nil {
                            LSTM.forwardStepWithPeepholes(
                                gates: stepGates, bias: workspace.biasSum, peepholes: workspace.peepholeWeights,
                                previousCell: previousCell, cell: workspace.cells + t * B * H,
                                cellTanh: workspace.cellTanh + t * B * H,
                                hidden: output + t * B * outputStride, hiddenStride: outputStride,
                                time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                            continue
                        }
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

    /// Columns of `W_hhᵀ` per recurrent product in `forward` (see there; measured: 64 and 128 alike,
    /// both ~20 % faster than one product, 32 slower).
    static let recurrentColumnBlock = 64

    /// The hidden state entering step `t` and its row stride: the previous step's output rows, or the
    /// initial state; `nil` when it is zero (the recurrent product would add nothing).
    func previousHidden(
        of t: Int, timeSteps: Int, batchSize: Int, output: UnsafeMutablePointer<Float>, outputStride: Int,
        workspace: Workspace
    ) -> (UnsafePointer<Float>, Int)? {
        if let previous = previousTime(of: t, timeSteps: timeSteps) {
            return (UnsafePointer(output + previous * batchSize * outputStride), outputStride)
        }
        return workspace.hasInitialState ? (UnsafePointer(workspace.initialHidden), hiddenSize) : nil
    }

    /// The cell state entering step `t`: the previous step's, the caller's initial state, or `nil`
    /// for zero.
    func previousCell(of t: Int, timeSteps: Int, batchSize: Int, workspace: Workspace) -> UnsafePointer<Float>? {
        if let previous = previousTime(of: t, timeSteps: timeSteps) {
            return UnsafePointer(workspace.cells + previous * batchSize * hiddenSize)
        }
        return workspace.hasInitialState ? UnsafePointer(workspace.initialCell) : nil
    }

    /// Bias sum, peephole weights and initial state into the workspace.
    private func prepare(_ workspace: Workspace, batchSize: Int, initialState: LSTMState?) {
        let H = hiddenSize
        let G = 4 * hiddenSize
        biasInput.value.withUnsafeBufferPointer { bih in
            biasHidden.value.withUnsafeBufferPointer { bhh in
                for j in 0..<G { workspace.biasSum[j] = bih[j] + bhh[j] }
            }
        }
        if let peepholes {
            for (k, parameter) in peepholes.parameters.enumerated() {
                (workspace.peepholeWeights + k * H).update(from: parameter.value, count: H)
            }
        }
        let count = batchSize * H
        if let initialState {
            precondition(
                initialState.hidden.count == count,
                "initialState has \(initialState.hidden.count) values, expected (B, H) = \(count)")
            precondition(
                initialState.cell.count == count,
                "initialState has \(initialState.cell.count) cell values, expected (B, H) = \(count)")
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
    func gatherFinalState(
        output: UnsafePointer<Float>, outputStride: Int, shape: SequenceBatchShape, workspace: Workspace
    ) {
        let B = shape.batchSize
        let H = hiddenSize
        for b in 0..<B {
            let length = shape.lengths[b]
            let h = workspace.finalHidden + b * H
            let c = workspace.finalCell + b * H
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
