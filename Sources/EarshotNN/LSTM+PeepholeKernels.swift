/// The fused pointwise kernels of one time step of an LSTM with peepholes (`LSTM.Peepholes`), forward and
/// backward, laid out as `forwardStep`/`backwardStep` (LSTM+Kernels.swift) — separate functions, so that
/// the LSTM without peepholes runs exactly the code it ran before they existed.
extension LSTM {
    /// Gates and state update of the `B` rows of step `t` with peepholes:
    ///
    ///     i = σ(a_i + b_i + w_ci ⊙ c_prev)    f = σ(a_f + b_f + w_cf ⊙ c_prev)    g = tanh(a_g + b_g)
    ///     c = f ⊙ c_prev + i ⊙ g              o = σ(a_o + b_o + w_co ⊙ c)         h = o ⊙ tanh(c)
    ///
    /// - Parameters:
    ///   - peepholes: `(3H)`, `[w_ci, w_cf, w_co]`.
    ///   - the rest: as `forwardStep`, always writing the activations (the int8 path leaves them unread).
    static func forwardStepWithPeepholes(
        gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, peepholes: UnsafePointer<Float>,
        previousCell: UnsafePointer<Float>?, cell: UnsafeMutablePointer<Float>,
        cellTanh: UnsafeMutablePointer<Float>,
        hidden: UnsafeMutablePointer<Float>, hiddenStride: Int,
        time t: Int, lengths: UnsafePointer<Int>, batchSize: Int, hiddenSize h: Int
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
                let cPrev = cp.map { A.load($0 + j, count: n) } ?? A.Vector()
                let i = A.sigmoid(
                    A.load(gi + j, count: n) + A.load(bias + j, count: n) + A.load(peepholes + j, count: n) * cPrev)
                let f = A.sigmoid(
                    A.load(gf + j, count: n) + A.load(bias + h + j, count: n)
                        + A.load(peepholes + h + j, count: n) * cPrev)
                let g = A.tanh(A.load(gg + j, count: n) + A.load(bias + 2 * h + j, count: n))
                let cNew = i * g + f * cPrev
                let o = A.sigmoid(
                    A.load(go + j, count: n) + A.load(bias + 3 * h + j, count: n)
                        + A.load(peepholes + 2 * h + j, count: n) * cNew)
                let tc = A.tanh(cNew)
                A.store(i, to: gi + j, count: n)
                A.store(f, to: gf + j, count: n)
                A.store(g, to: gg + j, count: n)
                A.store(o, to: go + j, count: n)
                A.store(tc, to: ct + j, count: n)
                A.store(cNew, to: c + j, count: n)
                A.store(o * tc, to: out + j, count: n)
                j += n
            }
        }
    }

    /// Backward of `forwardStepWithPeepholes` for the `B` rows of step `t`:
    ///
    ///     da_o = dh ⊙ tanh c ⊙ o(1−o)
    ///     dc   = dc_next-part + dh ⊙ o ⊙ (1 − tanh²c) + da_o ⊙ w_co
    ///     da_i = dc ⊙ g ⊙ i(1−i)    da_f = dc ⊙ c_prev ⊙ f(1−f)    da_g = dc ⊙ i ⊙ (1−g²)
    ///     dc_prev-part = dc ⊙ f + da_i ⊙ w_ci + da_f ⊙ w_cf
    ///     dw_ci += da_i ⊙ c_prev    dw_cf += da_f ⊙ c_prev    dw_co += da_o ⊙ c
    ///
    /// - Parameters:
    ///   - peepholes: `(3H)`, `[w_ci, w_cf, w_co]`.
    ///   - cell: `(B, H)`, the cell state after the step, saved by `forward`.
    ///   - peepholeGradient: `(3H)`, `+= Σ_rows [dw_ci, dw_cf, dw_co]`.
    ///   - the rest: as `backwardStep`; `cellGradient` carries `dc_prev-part`.
    static func backwardStepWithPeepholes(
        gates: UnsafeMutablePointer<Float>, peepholes: UnsafePointer<Float>, previousCell: UnsafePointer<Float>?,
        cell: UnsafePointer<Float>, cellTanh: UnsafePointer<Float>,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int,
        recurrentGradient: UnsafePointer<Float>?, cellGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>, peepholeGradient: UnsafeMutablePointer<Float>,
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
            let cRow = cell + b * h
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
                let cPrev = cp.map { A.load($0 + j, count: n) } ?? A.Vector()
                let wci = A.load(peepholes + j, count: n)
                let wcf = A.load(peepholes + h + j, count: n)
                let wco = A.load(peepholes + 2 * h + j, count: n)
                let dO = dh * tc * o * (1 - o)
                let dc = A.load(dcRow + j, count: n) + dh * o * (1 - tc * tc) + dO * wco
                let di = dc * g * i * (1 - i)
                let df = dc * cPrev * f * (1 - f)
                let dg = dc * i * (1 - g * g)
                A.store(di, to: gi + j, count: n)
                A.store(df, to: gf + j, count: n)
                A.store(dg, to: gg + j, count: n)
                A.store(dO, to: go + j, count: n)
                A.store(dc * f + di * wci + df * wcf, to: dcRow + j, count: n)
                for (offset, value) in [(0, di), (h, df), (2 * h, dg), (3 * h, dO)] {
                    A.store(
                        A.load(biasGradient + offset + j, count: n) + value, to: biasGradient + offset + j, count: n)
                }
                let cNew = A.load(cRow + j, count: n)
                for (offset, value) in [(0, di * cPrev), (h, df * cPrev), (2 * h, dO * cNew)] {
                    A.store(
                        A.load(peepholeGradient + offset + j, count: n) + value, to: peepholeGradient + offset + j,
                        count: n)
                }
                j += n
            }
        }
    }
}
