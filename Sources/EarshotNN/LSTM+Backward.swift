extension LSTM {
    /// Backpropagation through time of the last `forward` on `workspace`: adds the gradients of all four
    /// parameters into their `gradient`, and leaves the gate gradients in the workspace for
    /// `inputGradient`.
    ///
    /// 1. Steps in the reverse of the forward order: `dh_rec = da[next] · W_hh` (one `sgemm` over the
    ///    active rows), then `backwardStep` turns `dh`, the carried `dc` and the saved activations into
    ///    `da[t]`, written over the saved gates, and adds `da[t]`'s rows to the bias gradient.
    /// 2. Over all steps at once: `dW_ih += daᵀ · X` and `dW_hh += daᵀ · h_prev` (one `sgemm` each: the
    ///    previous hidden states of all steps but the first are the output rows shifted by one step, so
    ///    they are read in place); `db_ih` and `db_hh` both get the bias gradient (`b_ih` and `b_hh`
    ///    enter the pre-activation alike).
    ///
    /// - Parameters:
    ///   - input, inputStride: the `X (T, B, I)` given to `forward`.
    ///   - output, outputStride: the `h (T, B, H)` written by `forward`, unchanged since.
    ///   - outputGradient: `dL/dh (T, B, H)`, rows `outputGradientStride` apart (default `H`); padded
    ///     rows are ignored.
    public func backward(
        input: UnsafePointer<Float>, inputStride: Int? = nil,
        output: UnsafePointer<Float>, outputStride: Int? = nil,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int? = nil,
        workspace: Workspace
    ) {
        guard let shape = workspace.shape else { preconditionFailure("LSTM.backward: no forward on this workspace") }
        precondition(
            workspace.savedForBackward,
            "LSTM.backward: the last forward ran the int8 inference path, which saves nothing")
        let inputStride = inputStride ?? inputSize
        let outputStride = outputStride ?? hiddenSize
        let outputGradientStride = outputGradientStride ?? hiddenSize
        let T = shape.timeSteps
        let B = shape.batchSize
        let H = hiddenSize
        let G = 4 * hiddenSize
        guard T > 0 && B > 0 else { return }
        let gates = workspace.gates
        workspace.cellGradient.update(repeating: 0, count: B * H)
        workspace.biasGradient.update(repeating: 0, count: G)
        workspace.peepholeGradient.update(repeating: 0, count: 3 * H)

        weightHidden.value.withUnsafeBufferPointer { whh in
            shape.lengths.withUnsafeBufferPointer { lengths in
                for step in (0..<T).reversed() {
                    let t = time(ofStep: step, timeSteps: T)
                    let active = shape.activeRowCount(at: t)
                    var recurrent: UnsafePointer<Float>? = nil
                    if step < T - 1 && active > 0 {
                        // The step that started from h_t: t + 1 forward, t − 1 reverse.
                        let next = time(ofStep: step + 1, timeSteps: T)
                        // dh_rec (active, H) = da[next] (active, 4H) · W_hh (4H, H)
                        BLAS.sgemm(
                            .none, .none, m: active, n: H, k: G, alpha: 1,
                            a: gates + next * B * G, lda: G, b: whh.baseAddress!, ldb: H,
                            beta: 0, c: workspace.recurrentGradient, ldc: H)
                        recurrent = UnsafePointer(workspace.recurrentGradient)
                    }
                    let previousCell = self.previousCell(of: t, timeSteps: T, batchSize: B, workspace: workspace)
                    if peepholes != nil {
                        LSTM.backwardStepWithPeepholes(
                            gates: gates + t * B * G, peepholes: workspace.peepholeWeights, previousCell: previousCell,
                            cell: workspace.cells + t * B * H, cellTanh: workspace.cellTanh + t * B * H,
                            outputGradient: outputGradient + t * B * outputGradientStride,
                            outputGradientStride: outputGradientStride,
                            recurrentGradient: recurrent, cellGradient: workspace.cellGradient,
                            biasGradient: workspace.biasGradient, peepholeGradient: workspace.peepholeGradient,
                            time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                        continue
                    }
                    LSTM.backwardStep(
                        gates: gates + t * B * G, previousCell: previousCell,
                        cellTanh: workspace.cellTanh + t * B * H,
                        outputGradient: outputGradient + t * B * outputGradientStride,
                        outputGradientStride: outputGradientStride,
                        recurrentGradient: recurrent, cellGradient: workspace.cellGradient,
                        biasGradient: workspace.biasGradient,
                        time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                }
            }
        }

        // dW_ih (4H, I) += da (T·B, 4H)ᵀ · X (T·B, I)
        weightInput.gradient.withUnsafeMutableBufferPointer { dW in
            BLAS.sgemm(
                .transpose, .none, m: G, n: inputSize, k: T * B, alpha: 1,
                a: gates, lda: G, b: input, ldb: inputStride,
                beta: 1, c: dW.baseAddress!, ldc: inputSize)
        }
        // dW_hh (4H, H) += Σ_t da[t]ᵀ · h_prev(t). Forward: steps 1…T−1 pair with outputs 0…T−2;
        // reverse: steps 0…T−2 with outputs 1…T−1. Each is one (T−1)·B-row block of both buffers.
        let (firstGateStep, firstOutputStep) = direction == .forward ? (1, 0) : (0, 1)
        weightHidden.gradient.withUnsafeMutableBufferPointer { dW in
            if T > 1 {
                BLAS.sgemm(
                    .transpose, .none, m: G, n: H, k: (T - 1) * B, alpha: 1,
                    a: gates + firstGateStep * B * G, lda: G,
                    b: output + firstOutputStep * B * outputStride, ldb: outputStride,
                    beta: 1, c: dW.baseAddress!, ldc: H)
            }
            if workspace.hasInitialState {
                // The first step started from the caller's h_0 (forward direction only).
                BLAS.sgemm(
                    .transpose, .none, m: G, n: H, k: B, alpha: 1,
                    a: gates, lda: G, b: workspace.initialHidden, ldb: H,
                    beta: 1, c: dW.baseAddress!, ldc: H)
            }
        }
        // db_ih, db_hh (4H) += Σ_rows da (the two biases enter the sum alike)
        let biasGradient = workspace.biasGradient  // Σ_rows da, summed by backwardStep
        for bias in [biasInput, biasHidden] {
            bias.gradient.withUnsafeMutableBufferPointer { db in
                for j in 0..<G { db[j] += biasGradient[j] }
            }
        }
        // dw_ci, dw_cf, dw_co (H each) += Σ_rows, summed by backwardStepWithPeepholes
        for (k, parameter) in (peepholes?.parameters ?? []).enumerated() {
            let sum = workspace.peepholeGradient + k * H
            parameter.gradient.withUnsafeMutableBufferPointer { dw in
                for j in 0..<H { dw[j] += sum[j] }
            }
        }
    }

    /// `dX = da · W_ih` for rows `rows` of the last `backward` (all `T·B` rows by default): the gradient
    /// with respect to this direction's input, written (or, with `accumulate`, added) at
    /// `inputGradient + r·inputGradientStride` for row `r` (default stride `I`). Padded rows get 0 (or
    /// nothing added). A bidirectional layer calls it for both directions on the same buffer, the
    /// second time with `accumulate`; separate row ranges may run on separate threads.
    public func inputGradient(
        into inputGradient: UnsafeMutablePointer<Float>, stride: Int? = nil, accumulate: Bool = false,
        rows: Range<Int>? = nil, workspace: Workspace
    ) {
        guard let shape = workspace.shape else {
            preconditionFailure("LSTM.inputGradient: no forward on this workspace")
        }
        let stride = stride ?? inputSize
        let G = 4 * hiddenSize
        let rows = rows ?? 0..<shape.rowCount
        precondition(
            rows.lowerBound >= 0 && rows.upperBound <= shape.rowCount, "rows \(rows) outside 0..<\(shape.rowCount)")
        precondition(stride >= inputSize, "stride \(stride) < I = \(inputSize)")
        guard !rows.isEmpty else { return }
        weightInput.value.withUnsafeBufferPointer { wih in
            // dX[rows] (n, I) (+)= da[rows] (n, 4H) · W_ih (4H, I)
            BLAS.sgemm(
                .none, .none, m: rows.count, n: inputSize, k: G, alpha: 1,
                a: workspace.gates + rows.lowerBound * G, lda: G, b: wih.baseAddress!, ldb: inputSize,
                beta: accumulate ? 1 : 0, c: inputGradient + rows.lowerBound * stride, ldc: stride)
        }
    }
}
