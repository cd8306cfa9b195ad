internal import COpenBLAS

/// The fused pointwise kernels of one LSTM time step, forward and backward, over contiguous rows, 16
/// hidden units at a time (`Activations.Vector`; a tail of fewer than 16 units goes through the same
/// vector code, zero-padded). One pass per step reads the pre-activations once and writes everything
/// backward needs; padded rows are zeroed instead of computed.
extension LSTM {
    /// Gates and state update of the `B` rows of step `t`.
    ///
    /// - Parameters:
    ///   - gates: `(B, 4H)`: in, `x·W_ihᵀ + h·W_hhᵀ` (no bias); out, the activations `i, f, g, o`.
    ///   - bias: `(4H)`, `b_ih + b_hh`.
    ///   - previousCell: `(B, H)`, the cell state entering the step; `nil` for zero.
    ///   - cell, cellTanh: `(B, H)`, written: `c` and `tanh(c)` after the step.
    ///   - hidden: `(B, H)` rows `hiddenStride` apart, written: `h = o ⊙ tanh(c)`, the output.
    ///   - savingForBackward: whether to write the activations into `gates` and `tanh(c)` into `cellTanh`
    ///     (what `backward` reads); inference passes false and they are left as they were.
    /// Rows with `t ≥ lengths[b]` get zero gates, state and output.
    @inline(__always)
    static func forwardStep(
        gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        previousCell: UnsafePointer<Float>?, cell: UnsafeMutablePointer<Float>,
        cellTanh: UnsafeMutablePointer<Float>,
        hidden: UnsafeMutablePointer<Float>, hiddenStride: Int,
        time t: Int, lengths: UnsafePointer<Int>, batchSize: Int, hiddenSize h: Int, savingForBackward: Bool = true
    ) {
        typealias A = Activations
        for b in 0..<batchSize {
            let gi = gates + b * 4 * h
            let gf = gi + h
            let gg = gf + h
            let go = gg + h
            let c = cell + b * h
            let ct = cellTanh + b * h
            let out = hidden + b * hiddenStride
            guard t < lengths[b] else {
                gi.update(repeating: 0, count: 4 * h)
                c.update(repeating: 0, count: h)
                ct.update(repeating: 0, count: h)
                out.update(repeating: 0, count: h)
                continue
            }
            let cp = previousCell.map { $0 + b * h }
            var j = 0
            while j < h {
                let n = h - j < A.Vector.scalarCount ? h - j : A.Vector.scalarCount
                let i = A.sigmoid(A.load(gi + j, count: n) + A.load(bias + j, count: n))
                let f = A.sigmoid(A.load(gf + j, count: n) + A.load(bias + h + j, count: n))
                let g = A.tanh(A.load(gg + j, count: n) + A.load(bias + 2 * h + j, count: n))
                let o = A.sigmoid(A.load(go + j, count: n) + A.load(bias + 3 * h + j, count: n))
                var cNew = i * g
                if let cp { cNew += f * A.load(cp + j, count: n) }
                let tc = A.tanh(cNew)
                if savingForBackward {
                    A.store(i, to: gi + j, count: n)
                    A.store(f, to: gf + j, count: n)
                    A.store(g, to: gg + j, count: n)
                    A.store(o, to: go + j, count: n)
                    A.store(tc, to: ct + j, count: n)
                }
                A.store(cNew, to: c + j, count: n)
                A.store(o * tc, to: out + j, count: n)
                j += n
            }
        }
    }

    /// Backward of `forwardStep` for the `B` rows of step `t`:
    ///
    ///     dh = dL/dh_t (from above) + dL/dh_t (from the next step, via W_hh)
    ///     dc = dc_next ⊙ f_next + dh ⊙ o ⊙ (1 − tanh²c)      (the first term arrives in cellGradient)
    ///     da_i = dc ⊙ g ⊙ i(1−i)    da_f = dc ⊙ c_prev ⊙ f(1−f)
    ///     da_g = dc ⊙ i ⊙ (1−g²)    da_o = dh ⊙ tanh c ⊙ o(1−o)
    ///
    /// - Parameters:
    ///   - gates: `(B, 4H)`: in, the activations saved by `forward`; out, `da` (pre-activation gradients).
    ///   - previousCell: `(B, H)`, the cell state that entered the step; `nil` for zero.
    ///   - cellTanh: `(B, H)`, `tanh(c)` saved by `forward`.
    ///   - outputGradient: `(B, H)` rows `outputGradientStride` apart, `dL/dh` from the layer above.
    ///   - recurrentGradient: `(B, H)`, `da_next·W_hh`; `nil` at the last step.
    ///   - cellGradient: `(B, H)`: in, `dL/dc` reaching this step from the next (`dc_next ⊙ f_next`);
    ///     out, the same for the previous step (`dc ⊙ f`).
    ///   - biasGradient: `(4H)`, `+= Σ_rows da` (the bias gradient, summed while `da` is in registers
    ///     rather than in another pass over the `(T·B, 4H)` buffer).
    /// Rows with `t ≥ lengths[b]` get zero gradients and pass no cell gradient on.
    static func backwardStep(
        gates: UnsafeMutablePointer<Float>, previousCell: UnsafePointer<Float>?, cellTanh: UnsafePointer<Float>,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int,
        recurrentGradient: UnsafePointer<Float>?, cellGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>,
        time t: Int, lengths: UnsafePointer<Int>, batchSize: Int, hiddenSize h: Int
    ) {
        typealias A = Activations
        for b in 0..<batchSize {
            let gi = gates + b * 4 * h
            let gf = gi + h
            let gg = gf + h
            let go = gg + h
            let dcRow = cellGradient + b * h
            guard t < lengths[b] else {
                gi.update(repeating: 0, count: 4 * h)
                dcRow.update(repeating: 0, count: h)
                continue
            }
            let ct = cellTanh + b * h
            let dOut = outputGradient + b * outputGradientStride
            let dRec = recurrentGradient.map { $0 + b * h }
            let cp = previousCell.map { $0 + b * h }
            var j = 0
            while j < h {
                let n = h - j < A.Vector.scalarCount ? h - j : A.Vector.scalarCount
                var dh = A.load(dOut + j, count: n)
                if let dRec { dh += A.load(dRec + j, count: n) }
                let i = A.load(gi + j, count: n)
                let f = A.load(gf + j, count: n)
                let g = A.load(gg + j, count: n)
                let o = A.load(go + j, count: n)
                let tc = A.load(ct + j, count: n)
                let dc = A.load(dcRow + j, count: n) + dh * o * (1 - tc * tc)
                let cPrev = cp.map { A.load($0 + j, count: n) } ?? A.Vector()
                let di = dc * g * i * (1 - i)
                let df = dc * cPrev * f * (1 - f)
                let dg = dc * i * (1 - g * g)
                let dO = dh * tc * o * (1 - o)
                A.store(di, to: gi + j, count: n)
                A.store(df, to: gf + j, count: n)
                A.store(dg, to: gg + j, count: n)
                A.store(dO, to: go + j, count: n)
                A.store(dc * f, to: dcRow + j, count: n)
                A.store(A.load(biasGradient + j, count: n) + di, to: biasGradient + j, count: n)
                A.store(A.load(biasGradient + h + j, count: n) + df, to: biasGradient + h + j, count: n)
                A.store(A.load(biasGradient + 2 * h + j, count: n) + dg, to: biasGradient + 2 * h + j, count: n)
                A.store(A.load(biasGradient + 3 * h + j, count: n) + dO, to: biasGradient + 3 * h + j, count: n)
                j += n
            }
        }
    }

    /// `destination (columns, rows) ← sourceᵀ` for a row-major `source (rows, columns)`, through
    /// OpenBLAS's `cblas_somatcopy`: 0.08 ms for the (1024, 256) `W_hh` of the reference model, against
    /// 1 ms for the tiled loop of `transposeNaive` — which a batch-1 forward pass would pay six times.
    static func transpose(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        precondition(rows > 0 && columns > 0 && rows <= Int(Int32.max) && columns <= Int(Int32.max))
        cblas_somatcopy(
            CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1, source, Int32(columns), destination,
            Int32(rows))
    }

    /// The plain-loop twin of `transpose` (16 × 16 tiles), for its test.
    static func transposeNaive(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let tile = 16
        var r0 = 0
        while r0 < rows {
            let r1 = min(r0 + tile, rows)
            var c0 = 0
            while c0 < columns {
                let c1 = min(c0 + tile, columns)
                for r in r0..<r1 {
                    for c in c0..<c1 { destination[c * rows + r] = source[r * columns + c] }
                }
                c0 = c1
            }
            r0 = r1
        }
    }
}
