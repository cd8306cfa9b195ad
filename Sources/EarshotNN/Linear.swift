/// A fully connected layer, `Y = X·Wᵀ + b`, over rows: the acoustic model's output projection from
/// the top LSTM layer (2H values per step) to the alphabet's V scores.
///
/// Parameters use PyTorch's `nn.Linear` layout, so a state dict maps one to one:
/// - `weight` `(out, in)`, row-major — output unit `o` is row `o`;
/// - `bias` `(out)`.
///
/// `forward` and `backward` work on `rows` rows at once (all `T·B` steps of a batch): one `sgemm` each
/// for `Y`, `dW` and `dX`. Rows are independent; the layer knows nothing of padding — padded rows of
/// `Y` hold just the bias, and the caller's loss gives them a zero gradient (`SequenceBatchShape
/// .zeroPadding` does it for any other upstream gradient).
public final class Linear: Sendable {
    /// Values per input row.
    public let inputSize: Int
    /// Values per output row.
    public let outputSize: Int
    /// `(out, in)`.
    public let weight: Parameter
    /// `(out)`.
    public let bias: Parameter

    /// Weight and bias drawn from U(−1/√in, 1/√in), PyTorch's default law for `nn.Linear`.
    ///
    /// - Parameter name: the state-dict prefix, e.g. `"output"` names the parameters
    ///   `output.weight` and `output.bias`.
    public init(inputSize: Int, outputSize: Int, name: String, generator: inout SeededGenerator) {
        precondition(inputSize > 0 && outputSize > 0, "Linear(\(inputSize) → \(outputSize))")
        let bound = 1 / Float(inputSize).squareRoot()
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Initialization.uniformParameter(
            name: name + ".weight", shape: [outputSize, inputSize], bound: bound, generator: &generator)
        bias = Initialization.uniformParameter(
            name: name + ".bias", shape: [outputSize], bound: bound, generator: &generator)
    }

    /// A layer over existing parameters (loaded from a model file): `weight` must be `(out, in)` and
    /// `bias` `(out)`.
    public init(weight: Parameter, bias: Parameter) {
        precondition(weight.shape.count == 2, "\(weight.name): shape \(weight.shape) is not (out, in)")
        precondition(
            bias.shape == [weight.shape[0]], "\(bias.name): shape \(bias.shape), expected [\(weight.shape[0])]")
        self.weight = weight
        self.bias = bias
        outputSize = weight.shape[0]
        inputSize = weight.shape[1]
    }

    /// Weight and bias, in state-dict order.
    public var parameters: [Parameter] { [weight, bias] }

    /// `Y ← X·Wᵀ + b` over `rows` rows.
    ///
    /// - Parameters:
    ///   - input: `X (rows, in)`, row `r` at `input + r·inputStride` (`inputStride ≥ in`).
    ///   - output: `Y (rows, out)`, contiguous; written (the bias is copied in, then one `sgemm` with
    ///     β = 1 adds `X·Wᵀ`).
    public func forward(
        input: UnsafePointer<Float>, inputStride: Int? = nil, rows: Int, output: UnsafeMutablePointer<Float>
    ) {
        let inputStride = inputStride ?? inputSize
        precondition(rows >= 0 && inputStride >= inputSize, "Linear.forward: rows \(rows), stride \(inputStride)")
        if rows == 0 { return }
        bias.value.withUnsafeBufferPointer { b in
            for r in 0..<rows { (output + r * outputSize).update(from: b.baseAddress!, count: outputSize) }
        }
        weight.value.withUnsafeBufferPointer { w in
            // Y (rows, out) += X (rows, in) · Wᵀ (in, out)
            BLAS.sgemm(
                .none, .transpose, m: rows, n: outputSize, k: inputSize, alpha: 1,
                a: input, lda: inputStride, b: w.baseAddress!, ldb: inputSize,
                beta: 1, c: output, ldc: outputSize)
        }
    }

    /// Backward of `forward`: adds `dW += dYᵀ·X` and `db += Σ_rows dY` into the parameters' gradients,
    /// and, if `inputGradient` is given, writes (or with `accumulate`, adds) `dX = dY·W`.
    ///
    /// - Parameters:
    ///   - input: the `X (rows, in)` given to `forward` (stride `inputStride`).
    ///   - outputGradient: `dL/dY (rows, out)`, contiguous.
    ///   - inputGradient: `dL/dX (rows, in)`, row `r` at `+ r·inputGradientStride`; `nil` to skip.
    public func backward(
        input: UnsafePointer<Float>, inputStride: Int? = nil, rows: Int,
        outputGradient: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>?, inputGradientStride: Int? = nil, accumulate: Bool = false
    ) {
        let inputStride = inputStride ?? inputSize
        let inputGradientStride = inputGradientStride ?? inputSize
        precondition(rows >= 0 && inputStride >= inputSize && inputGradientStride >= inputSize)
        if rows == 0 { return }
        // dW (out, in) += dYᵀ (out, rows) · X (rows, in)
        weight.gradient.withUnsafeMutableBufferPointer { dW in
            BLAS.sgemm(
                .transpose, .none, m: outputSize, n: inputSize, k: rows, alpha: 1,
                a: outputGradient, lda: outputSize, b: input, ldb: inputStride,
                beta: 1, c: dW.baseAddress!, ldc: inputSize)
        }
        bias.gradient.withUnsafeMutableBufferPointer { db in
            addColumnSums(
                of: outputGradient, rows: rows, columns: outputSize, stride: outputSize, into: db.baseAddress!)
        }
        if let inputGradient {
            // dX (rows, in) (+)= dY (rows, out) · W (out, in)
            weight.value.withUnsafeBufferPointer { w in
                BLAS.sgemm(
                    .none, .none, m: rows, n: inputSize, k: outputSize, alpha: 1,
                    a: outputGradient, lda: outputSize, b: w.baseAddress!, ldb: inputSize,
                    beta: accumulate ? 1 : 0, c: inputGradient, ldc: inputGradientStride)
            }
        }
    }
}

/// `sums[j] += Σ_r matrix[r·stride + j]` for `j < columns`: the bias gradient of a layer whose bias is
/// added to every row. Row by row, so the matrix is read once in order and `sums` stays in L1.
func addColumnSums(
    of matrix: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int, into sums: UnsafeMutablePointer<Float>
) {
    typealias A = Activations
    let width = A.Vector.scalarCount
    let whole = columns / width * width
    for r in 0..<rows {
        let row = matrix + r * stride
        var j = 0
        while j < whole {
            let s = UnsafeMutableRawPointer(sums + j)
            s.storeBytes(
                of: s.loadUnaligned(as: A.Vector.self) + UnsafeRawPointer(row + j).loadUnaligned(as: A.Vector.self),
                as: A.Vector.self)
            j += width
        }
        while j < columns {
            sums[j] += row[j]
            j += 1
        }
    }
}
