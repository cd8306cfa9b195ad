#if canImport(Glibc)
    import Glibc
#endif

/// Log-softmax over the rows of a `(rows, V)` matrix: the acoustic model's output, log-probabilities of
/// the V symbols per step, as CTC wants them.
///
///     y[r][j] = (x[r][j] − m_r) − log Σ_k exp(x[r][k] − m_r),   m_r = max_k x[r][k]
///
/// Subtracting the row maximum keeps every `exp` in (0, 1], so nothing overflows and the largest term
/// of the sum is exactly 1 (the log never sees 0). Uses libm's `expf`/`logf`: V is small (29), so this
/// costs little next to the layers before it, and stays exactly as accurate as the reference.
public enum LogSoftmax {
    /// `output (rows, V) ← log_softmax(input)` row by row; `output` may be `input`.
    public static func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) {
        precondition(rows >= 0 && columns > 0, "LogSoftmax: (\(rows), \(columns))")
        for r in 0..<rows {
            let x = input + r * columns
            let y = output + r * columns
            var maximum = x[0]
            for j in 1..<columns where x[j] > maximum { maximum = x[j] }
            var sum: Float = 0
            for j in 0..<columns { sum += expf(x[j] - maximum) }
            let logSum = logf(sum)
            // (x − m) − log Σ, in this order: x − m is exact near the maximum, where the result matters.
            for j in 0..<columns { y[j] = (x[j] - maximum) - logSum }
        }
    }

    /// Backward of `forward`: with `p = exp(y)` the softmax, `dx[j] = dy[j] − p[j]·Σ_k dy[k]`.
    /// Writes (or, with `accumulate`, adds) `inputGradient`; it may be `outputGradient` when not
    /// accumulating.
    ///
    /// - Parameters:
    ///   - output: `y (rows, V)` from `forward`.
    ///   - outputGradient: `dL/dy (rows, V)`.
    public static func backward(
        output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>, rows: Int, columns: Int, accumulate: Bool = false
    ) {
        for r in 0..<rows {
            let y = output + r * columns
            let dy = outputGradient + r * columns
            let dx = inputGradient + r * columns
            var total: Float = 0
            for j in 0..<columns { total += dy[j] }
            for j in 0..<columns {
                let g = dy[j] - expf(y[j]) * total
                dx[j] = accumulate ? dx[j] + g : g
            }
        }
    }

    /// Array convenience: `log_softmax` of a contiguous `(rows, columns)` array.
    public static func forward(_ input: [Float], columns: Int) -> [Float] {
        precondition(columns > 0 && input.count % columns == 0, "\(input.count) values are not rows of \(columns)")
        var output = input
        output.withUnsafeMutableBufferPointer { y in
            guard let base = y.baseAddress else { return }
            forward(input: base, output: base, rows: input.count / columns, columns: columns)
        }
        return output
    }
}
