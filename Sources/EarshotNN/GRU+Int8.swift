/// Inference with 8-bit weights, the LSTM's scheme (LSTM+Int8.swift, `Int8Matrix`): `W_ih` and `W_hh`
/// quantised per row, the layer input and the hidden state quantised per row at each product, float32
/// everywhere else (biases, pre-activations, gates, state).
extension GRU {
    /// The same direction over the same parameters with int8 copies of its weight matrices, made now: for
    /// inference only (its `backward` refuses to run; later changes to the parameters are not seen).
    public func quantizedForInference(path: Int8Matrix.KernelPath = .best) -> GRU {
        let h = hiddenSize
        let quantized = weightInput.value.withUnsafeBufferPointer { wih in
            weightHidden.value.withUnsafeBufferPointer { whh in
                LSTM.QuantizedWeights(
                    input: Int8Matrix(quantizing: wih.baseAddress!, rows: 3 * h, columns: inputSize, path: path),
                    hidden: Int8Matrix(quantizing: whh.baseAddress!, rows: 3 * h, columns: h, path: path))
            }
        }
        return GRU(
            weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput, biasHidden: biasHidden,
            direction: direction, quantizedWeights: quantized)
    }

    /// `forward` with int8 weights (after `forward` has sized the workspace and set bias and initial state):
    ///
    /// 1. `gates (T·B, 3H) ← X̂ · Ŵ_ihᵀ`: the `T·B` input rows quantised, one int8 product for all steps;
    /// 2. per step in this direction's order: `hiddenGates[t] ← ĥ_prev · Ŵ_hhᵀ` over the active rows (the
    ///    previous hidden rows quantised; zero when `h_prev` is), then `forwardStep` as in float32.
    func forwardQuantized(
        _ weights: LSTM.QuantizedWeights, input: UnsafePointer<Float>, inputStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, shape: SequenceBatchShape, workspace: Workspace
    ) {
        let T = shape.timeSteps, B = shape.batchSize, H = hiddenSize, G = 3 * hiddenSize
        let gates = workspace.gates, hiddenGates = workspace.hiddenGates
        let quantizedInput = workspace.quantizedInput, quantizedHidden = workspace.quantizedHidden
        quantizedInput.quantize(input, rows: T * B, columns: inputSize, stride: inputStride)
        weights.input.multiply(quantizedInput, rows: T * B, into: gates, stride: G, accumulate: false)
        shape.lengths.withUnsafeBufferPointer { lengths in
            for step in 0..<T {
                let t = direction.time(ofStep: step, timeSteps: T)
                let stepHiddenGates = hiddenGates + t * B * G
                let active = shape.activeRowCount(at: t)
                let previous = previousHidden(
                    of: t, timeSteps: T, batchSize: B, output: output, outputStride: outputStride, workspace: workspace)
                if let (hPrev, hStride) = previous, active > 0 {
                    quantizedHidden.quantize(hPrev, rows: active, columns: H, stride: hStride)
                    weights.hidden.multiply(
                        quantizedHidden, rows: active, into: stepHiddenGates, stride: G, accumulate: false)
                } else {
                    stepHiddenGates.update(repeating: 0, count: B * G)
                }
                GRU.forwardStep(
                    gates: gates + t * B * G, hiddenGates: stepHiddenGates, bias: workspace.bias,
                    previousHidden: previous, hidden: output + t * B * outputStride, hiddenStride: outputStride,
                    time: t, lengths: lengths.baseAddress!, batchSize: B, hiddenSize: H)
            }
        }
    }
}
