extension GRU {
    /// Backpropagation through time of the last `forward` on `workspace`: adds the gradients of all four
    /// parameters into their `gradient`, and leaves the input pre-activation gradients in the workspace
    /// for `inputGradient`.
    ///
    /// 1. Steps in the reverse of the forward order: `dh_rec = dgh[next] · W_hh` (one `sgemm` over the
    ///    active rows), then `backwardStep` turns `dh` (from above, through `W_hh`, and directly through
    ///    `z`) and the saved activations into `dgx[t]` and `dgh[t]`, written over the saved buffers.
    /// 2. Over all steps at once: `dW_ih += dgxᵀ · X` and `dW_hh += dghᵀ · h_prev` (one `sgemm` each; the
    ///    previous hidden states are the output rows shifted by one step, read in place); `db_ih += Σ dgx`,
    ///    `db_hh += Σ dgh`.
    ///
    /// - Parameters:
    ///   - input, inputStride: the `X (T, B, I)` given to `forward`.
    ///   - output, outputStride: the `h (T, B, H)` written by `forward`, unchanged since.
    ///   - outputGradient: `dL/dh (T, B, H)`, rows `outputGradientStride` apart (default `H`); padded rows
    ///     are ignored.
    public func backward(
        input: UnsafePointer<Float>, inputStride: Int? = nil,
        output: UnsafePointer<Float>, outputStride: Int? = nil,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int? = nil,
        workspace: Workspace
    ) {
        guard let shape = workspace.shape else { preconditionFailure("GRU.backward: no forward on this workspace") }
        precondition(
            workspace.savedForBackward,
            "GRU.backward: the last forward ran the int8 inference path, which saves nothing")
        let inputStride = inputStride ?? inputSize
        let outputStride = outputStride ?? hiddenSize
        let outputGradientStride = outputGradientStride ?? hiddenSize
        let T = shape.timeSteps
        let B = shape.batchSize
        let H = hiddenSize
        let G = 3 * hiddenSize
        guard T > 0 && B > 0 else { return }
        let gates = workspace.gates
        let hiddenGates = workspace.hiddenGates
        workspace.hiddenGradient.update(repeating: 0, count: B * H)
        workspace.biasGradientInput.update(repeating: 0, count: G)
        workspace.biasGradientHidden.update(repeating: 0, count: G)

        weightHidden.value.withUnsafeBufferPointer { whh in
            shape.lengths.withUnsafeBufferPointer { lengths in
                for step in (0..<T).reversed() {
                    let t = direction.time(ofStep: step, timeSteps: T)
                    let active = shape.activeRowCount(at: t)
                    var recurrent: UnsafePointer<Float>? = nil
                    if step < T - 1 && active > 0 {
                        let next = direction.time(ofStep: step + 1, timeSteps: T)
                        // dh_rec (active, H) = dgh[next] (active, 3H) · W_hh (3H, H)
                        BLAS.sgemm(
                            .none, .none, m: active, n: H, k: G, alpha: 1,
                            a: hiddenGates + next * B * G, lda: G, b: whh.baseAddress!, ldb: H,
                            beta: 0, c: workspace.recurrentGradient, ldc: H)
                        recurrent = UnsafePointer(workspace.recurrentGradient)
                    }
                    let previous = previousHidden(
                        of: t, timeSteps: T, batchSize: B, output: output, outputStride: outputStride,
                        workspace: workspace)
                    GRU.backwardStep(
                        gates: gates + t * B * G, hiddenGates: hiddenGates + t * B * G, previousHidden: previous,
                        outputGradient: outputGradient + t * B * outputGradientStride,
                        outputGradientStride: outputGradientStride, recurrentGradient: recurrent,
                        hiddenGradient: workspace.hiddenGradient, biasGradientInput: workspace.biasGradientInput,
                        biasGradientHidden: workspace.biasGradientHidden,
                        time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                }
            }
        }

        // dW_ih (3H, I) += dgx (T·B, 3H)ᵀ · X (T·B, I)
        weightInput.gradient.withUnsafeMutableBufferPointer { dW in
            BLAS.sgemm(
                .transpose, .none, m: G, n: inputSize, k: T * B, alpha: 1,
                a: gates, lda: G, b: input, ldb: inputStride,
                beta: 1, c: dW.baseAddress!, ldc: inputSize)
        }
        // dW_hh (3H, H) += Σ_t dgh[t]ᵀ · h_prev(t), paired as in LSTM.backward.
        let (firstGateStep, firstOutputStep) = direction == .forward ? (1, 0) : (0, 1)
        weightHidden.gradient.withUnsafeMutableBufferPointer { dW in
            if T > 1 {
                BLAS.sgemm(
                    .transpose, .none, m: G, n: H, k: (T - 1) * B, alpha: 1,
                    a: hiddenGates + firstGateStep * B * G, lda: G,
                    b: output + firstOutputStep * B * outputStride, ldb: outputStride,
                    beta: 1, c: dW.baseAddress!, ldc: H)
            }
            if workspace.hasInitialState {
                BLAS.sgemm(
                    .transpose, .none, m: G, n: H, k: B, alpha: 1,
                    a: hiddenGates, lda: G, b: workspace.initialHidden, ldb: H,
                    beta: 1, c: dW.baseAddress!, ldc: H)
            }
        }
        // db_ih += Σ_rows dgx, db_hh += Σ_rows dgh (summed by backwardStep)
        for (bias, sum) in [(biasInput, workspace.biasGradientInput), (biasHidden, workspace.biasGradientHidden)] {
            bias.gradient.withUnsafeMutableBufferPointer { db in
                for j in 0..<G { db[j] += sum[j] }
            }
        }
    }

    /// `dX = dgx · W_ih` for rows `rows` of the last `backward` (all `T·B` rows by default), written (or,
    /// with `accumulate`, added) at `inputGradient + r·stride` (default stride `I`). Padded rows get 0.
    public func inputGradient(
        into inputGradient: UnsafeMutablePointer<Float>, stride: Int? = nil, accumulate: Bool = false,
        rows: Range<Int>? = nil, workspace: Workspace
    ) {
        guard let shape = workspace.shape else {
            preconditionFailure("GRU.inputGradient: no forward on this workspace")
        }
        let stride = stride ?? inputSize
        let G = 3 * hiddenSize
        let rows = rows ?? 0..<shape.rowCount
        precondition(
            rows.lowerBound >= 0 && rows.upperBound <= shape.rowCount, "rows \(rows) outside 0..<\(shape.rowCount)")
        precondition(stride >= inputSize, "stride \(stride) < I = \(inputSize)")
        guard !rows.isEmpty else { return }
        weightInput.value.withUnsafeBufferPointer { wih in
            // dX[rows] (n, I) (+)= dgx[rows] (n, 3H) · W_ih (3H, I)
            BLAS.sgemm(
                .none, .none, m: rows.count, n: inputSize, k: G, alpha: 1,
                a: workspace.gates + rows.lowerBound * G, lda: G, b: wih.baseAddress!, ldb: inputSize,
                beta: accumulate ? 1 : 0, c: inputGradient + rows.lowerBound * stride, ldc: stride)
        }
    }
}
