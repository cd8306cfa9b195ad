/// Inference with 8-bit weights: `W_ih` and `W_hh` as `Int8Matrix` (per-row scales), the layer input and
/// the hidden state quantised per row at each product (dynamic quantization), float32 everywhere else —
/// biases, gate pre-activations, activations, cell and hidden state (see `Int8Matrix` for the scheme).
///
/// Why it pays at batch 1: each step reads all of `W_hh` (1 MiB per direction and layer in float32 for
/// H = 256); as int8 it is 256 KiB, which stays in L2 next to the other direction's, and the VNNI kernel
/// does 64 multiply–adds per instruction where float32 FMA does 16.
extension LSTM {
    /// `W_ih (4H, I)` and `W_hh (4H, H)` quantised.
    public struct QuantizedWeights: Sendable {
        public let input: Int8Matrix
        public let hidden: Int8Matrix
    }

    /// The same direction over the same parameters with int8 copies of its weight matrices, made now: for
    /// inference only (its `backward` refuses to run; later changes to the parameters are not seen).
    public func quantizedForInference(path: Int8Matrix.KernelPath = .best) -> LSTM {
        let h = hiddenSize
        let quantized = weightInput.value.withUnsafeBufferPointer { wih in
            weightHidden.value.withUnsafeBufferPointer { whh in
                QuantizedWeights(
                    input: Int8Matrix(quantizing: wih.baseAddress!, rows: 4 * h, columns: inputSize, path: path),
                    hidden: Int8Matrix(quantizing: whh.baseAddress!, rows: 4 * h, columns: h, path: path))
            }
        }
        return LSTM(
            weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput, biasHidden: biasHidden,
            direction: direction, peepholes: peepholes, quantizedWeights: quantized)
    }

    /// `forward` with int8 weights (after `forward` has sized the workspace and set bias and initial state):
    ///
    /// 1. `gates (T·B, 4H) ← X̂ · Ŵ_ihᵀ`: the `T·B` input rows quantised, one int8 product for all steps;
    /// 2. per step in this direction's order: `gates[t] += ĥ_prev · Ŵ_hhᵀ` over the active rows (the
    ///    previous hidden rows quantised), then `forwardStep` (bias, activations, state, output) as in
    ///    float32, saving nothing for backward (only `c`, which the next step and the final state read);
    ///    with peepholes, `forwardStepWithPeepholes` (which writes its activations too, unread).
    func forwardQuantized(
        _ weights: QuantizedWeights, input: UnsafePointer<Float>, inputStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, shape: SequenceBatchShape, workspace: Workspace
    ) {
        let T = shape.timeSteps, B = shape.batchSize, H = hiddenSize, G = 4 * hiddenSize
        let gates = workspace.gates
        let quantizedInput = workspace.quantizedInput, quantizedHidden = workspace.quantizedHidden
        quantizedInput.quantize(input, rows: T * B, columns: inputSize, stride: inputStride)
        weights.input.multiply(quantizedInput, rows: T * B, into: gates, stride: G, accumulate: false)
        shape.lengths.withUnsafeBufferPointer { lengths in
            for step in 0..<T {
                let t = time(ofStep: step, timeSteps: T)
                let stepGates = gates + t * B * G
                let active = shape.activeRowCount(at: t)
                if active > 0,
                    let (hPrev, hStride) = previousHidden(
                        of: t, timeSteps: T, batchSize: B, output: output, outputStride: outputStride,
                        workspace: workspace)
                {
                    quantizedHidden.quantize(hPrev, rows: active, columns: H, stride: hStride)
                    weights.hidden.multiply(quantizedHidden, rows: active, into: stepGates, stride: G, accumulate: true)
                }
                if peepholes != nil {
                    LSTM.forwardStepWithPeepholes(
                        gates: stepGates, bias: workspace.biasSum, peepholes: workspace.peepholeWeights,
                        previousCell: previousCell(of: t, timeSteps: T, batchSize: B, workspace: workspace),
                        cell: workspace.cells + t * B * H, cellTanh: workspace.cellTanh + t * B * H,
                        hidden: output + t * B * outputStride, hiddenStride: outputStride,
                        time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
                    continue
                }
                LSTM.forwardStep(
                    gates: stepGates, bias: workspace.biasSum,
                    previousCell: previousCell(of: t, timeSteps: T, batchSize: B, workspace: workspace),
                    cell: workspace.cells + t * B * H, cellTanh: workspace.cellTanh + t * B * H,
                    hidden: output + t * B * outputStride, hiddenStride: outputStride,
                    time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H, savingForBackward: false)
            }
        }
    }
}
