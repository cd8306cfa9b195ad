/// The fused pointwise kernels of one GRU time step, forward and backward, over contiguous rows, 16 hidden
/// units at a time (`Activations.Vector`, a shorter tail zero-padded), as `LSTM`'s (LSTM+Kernels.swift).
extension GRU {
    /// Gates and state update of the `B` rows of step `t`.
    ///
    /// - Parameters:
    ///   - gates: `(B, 3H)`: in, `x·W_ihᵀ` (no bias); out, the activations `r, z, n`.
    ///   - hiddenGates: `(B, 3H)`: in, `h_prev·W_hhᵀ` (no bias); out, columns `2H..<3H` hold
    ///     `W_hn·h_prev + b_hn` (the rest is left as it was).
    ///   - bias: `(4H)`, `[b_ir + b_hr, b_iz + b_hz, b_in, b_hn]`.
    ///   - previousHidden: `(B, H)` rows `stride` apart, the state entering the step; `nil` for zero.
    ///   - hidden: `(B, H)` rows `hiddenStride` apart, written: `h = (1 − z) ⊙ n + z ⊙ h_prev`.
    /// Rows with `t ≥ lengths[b]` get zero gates and output.
    @inline(__always)
    static func forwardStep(
        gates: UnsafeMutablePointer<Float>, hiddenGates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        previousHidden: (UnsafePointer<Float>, Int)?,
        hidden: UnsafeMutablePointer<Float>, hiddenStride: Int,
        time t: Int, lengths: UnsafePointer<Int>, batchSize: Int, hiddenSize h: Int
    ) {
        typealias A = Activations
        for b in 0..<batchSize {
            let gr = gates + b * 3 * h
            let gz = gr + h
            let gn = gz + h
            let hr = hiddenGates + b * 3 * h
            let hz = hr + h
            let hn = hz + h
            let out = hidden + b * hiddenStride
            guard t < lengths[b] else {
                gr.update(repeating: 0, count: 3 * h)
                hr.update(repeating: 0, count: 3 * h)
                out.update(repeating: 0, count: h)
                continue
            }
            let hp = previousHidden.map { $0.0 + b * $0.1 }
            var j = 0
            while j < h {
                let n = h - j < A.Vector.scalarCount ? h - j : A.Vector.scalarCount
                let r = A.sigmoid(A.load(gr + j, count: n) + A.load(hr + j, count: n) + A.load(bias + j, count: n))
                let z = A.sigmoid(
                    A.load(gz + j, count: n) + A.load(hz + j, count: n) + A.load(bias + h + j, count: n))
                let hiddenCandidate = A.load(hn + j, count: n) + A.load(bias + 3 * h + j, count: n)
                let candidate = A.tanh(
                    A.load(gn + j, count: n) + A.load(bias + 2 * h + j, count: n) + r * hiddenCandidate)
                var hNew = (1 - z) * candidate
                if let hp { hNew += z * A.load(hp + j, count: n) }
                A.store(r, to: gr + j, count: n)
                A.store(z, to: gz + j, count: n)
                A.store(candidate, to: gn + j, count: n)
                A.store(hiddenCandidate, to: hn + j, count: n)
                A.store(hNew, to: out + j, count: n)
                j += n
            }
        }
    }

    /// Backward of `forwardStep` for the `B` rows of step `t`:
    ///
    ///     dh = dL/dh_t (from above) + dgh[next]·W_hh + z_next ⊙ dh_next    (the last term in hiddenGradient)
    ///     da_n = dh ⊙ (1 − z) ⊙ (1 − n²)
    ///     da_z = dh ⊙ (h_prev − n) ⊙ z(1 − z)
    ///     da_r = da_n ⊙ (W_hn·h_prev + b_hn) ⊙ r(1 − r)
    ///     dgx = [da_r, da_z, da_n]        dgh = [da_r, da_z, r ⊙ da_n]
    ///
    /// - Parameters:
    ///   - gates: `(B, 3H)`: in, `r, z, n` saved by `forward`; out, `dgx`.
    ///   - hiddenGates: `(B, 3H)`: in, columns `2H..<3H` hold `W_hn·h_prev + b_hn`; out, `dgh`.
    ///   - previousHidden: `(B, H)` rows `stride` apart, the state that entered the step; `nil` for zero.
    ///   - outputGradient: `(B, H)` rows `outputGradientStride` apart, `dL/dh` from the layer above.
    ///   - recurrentGradient: `(B, H)`, `dgh[next]·W_hh`; `nil` at the last step.
    ///   - hiddenGradient: `(B, H)`: in, `z_next ⊙ dh_next`; out, `z ⊙ dh` for the previous step.
    ///   - biasGradientInput, biasGradientHidden: `(3H)`, `+= Σ_rows dgx` and `Σ_rows dgh`.
    /// Rows with `t ≥ lengths[b]` get zero gradients and pass nothing on.
    static func backwardStep(
        gates: UnsafeMutablePointer<Float>, hiddenGates: UnsafeMutablePointer<Float>,
        previousHidden: (UnsafePointer<Float>, Int)?,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int,
        recurrentGradient: UnsafePointer<Float>?, hiddenGradient: UnsafeMutablePointer<Float>,
        biasGradientInput: UnsafeMutablePointer<Float>, biasGradientHidden: UnsafeMutablePointer<Float>,
        time t: Int, lengths: UnsafePointer<Int>, batchSize: Int, hiddenSize h: Int
    ) {
        typealias A = Activations
        for b in 0..<batchSize {
            let gr = gates + b * 3 * h
            let gz = gr + h
            let gn = gz + h
            let hr = hiddenGates + b * 3 * h
            let hz = hr + h
            let hn = hz + h
            let carried = hiddenGradient + b * h
            guard t < lengths[b] else {
                gr.update(repeating: 0, count: 3 * h)
                hr.update(repeating: 0, count: 3 * h)
                carried.update(repeating: 0, count: h)
                continue
            }
            let dOut = outputGradient + b * outputGradientStride
            let dRec = recurrentGradient.map { $0 + b * h }
            let hp = previousHidden.map { $0.0 + b * $0.1 }
            var j = 0
            while j < h {
                let n = h - j < A.Vector.scalarCount ? h - j : A.Vector.scalarCount
                var dh = A.load(dOut + j, count: n) + A.load(carried + j, count: n)
                if let dRec { dh += A.load(dRec + j, count: n) }
                let r = A.load(gr + j, count: n)
                let z = A.load(gz + j, count: n)
                let candidate = A.load(gn + j, count: n)
                let hiddenCandidate = A.load(hn + j, count: n)
                let hPrev = hp.map { A.load($0 + j, count: n) } ?? A.Vector()
                let dn = dh * (1 - z) * (1 - candidate * candidate)
                let dz = dh * (hPrev - candidate) * z * (1 - z)
                let dr = dn * hiddenCandidate * r * (1 - r)
                let dnHidden = dn * r
                A.store(dr, to: gr + j, count: n)
                A.store(dz, to: gz + j, count: n)
                A.store(dn, to: gn + j, count: n)
                A.store(dr, to: hr + j, count: n)
                A.store(dz, to: hz + j, count: n)
                A.store(dnHidden, to: hn + j, count: n)
                A.store(dh * z, to: carried + j, count: n)
                let bi = biasGradientInput, bh = biasGradientHidden
                A.store(A.load(bi + j, count: n) + dr, to: bi + j, count: n)
                A.store(A.load(bi + h + j, count: n) + dz, to: bi + h + j, count: n)
                A.store(A.load(bi + 2 * h + j, count: n) + dn, to: bi + 2 * h + j, count: n)
                A.store(A.load(bh + j, count: n) + dr, to: bh + j, count: n)
                A.store(A.load(bh + h + j, count: n) + dz, to: bh + h + j, count: n)
                A.store(A.load(bh + 2 * h + j, count: n) + dnHidden, to: bh + 2 * h + j, count: n)
                j += n
            }
        }
    }
}
