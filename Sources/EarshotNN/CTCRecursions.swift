#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CTC forward (α) and backward (β) recursions in log space, and the gradient, for the sequence a
/// `CTCWorkspace` was prepared with (Graves et al. 2006, §4.1; warp-ctc's `compute_alphas` and
/// `compute_betas_and_grad`). Notation: T frames, target l₀ … l_{L−1}, y_t(k) the softmax output,
/// states B_j (blank before label j, j = 0 … L) and L_j (label j), as laid out in `CTCWorkspace`.
///
/// - α_t(s) = p(x₀ … x_t emitted along a path prefix that ends in state s at frame t), including
///   the emission y_t(s);
/// - β_t(s) = p(x_{t+1} … x_{T−1} completed from state s at frame t), *excluding* y_t(s);
/// - so α_t(s)·β_t(s) is the probability of all complete paths through s at t, Σ_s α_t(s)·β_t(s) =
///   p(l | x) for every t, and the occupancy γ_t(s) = α_t(s)·β_t(s)/p(l | x) needs no division by y.
///
/// Pruning: at frame t a state is worth computing only if some path reaches it (extended index
/// ≤ 2t + 1, i.e. j ≤ t) and can still finish from it (2L + 1 − extended index ≤ 2(T − t), i.e.
/// j ≥ L − T + t). Every predecessor of a state inside this window lies inside the previous frame's
/// window, so values inside are exact whatever lies outside; outside, rows hold −∞ or values computed
/// from −∞, which are never above the true value — enough for those states to contribute nothing to
/// the loss or the gradient. On the reference batch (T = 333, L = 150) this skips ~45% of the states.
extension CTCWorkspace {
    /// The block-aligned range [start, end) of j computed at frame `t`: the window
    /// [max(0, L − T + t), min(L, t)] widened to multiples of `width` and clipped to the row.
    @inline(__always)
    func window(_ t: Int) -> (start: Int, end: Int) {
        let low = max(0, labelCount - frames + t)
        let high = min(labelCount, t)
        return (low / width * width, min(paddedStates, (high + width) / width * width))
    }

    /// Sets row entries [−width, start) and [end, N + width) to −∞: everything outside the range a
    /// recursion step writes, so later steps read −∞ there, never a stale value.
    @inline(__always)
    private func clearOutside(_ row: UnsafeMutablePointer<Double>, start: Int, end: Int) {
        for j in -width..<start { row[j] = -.infinity }
        for j in end..<(paddedStates + width) { row[j] = -.infinity }
    }

    /// Fills `emissionRow[j]` with log y_t(l_j) for j in [start, min(end, L)); entries j ≥ L stay −∞.
    @inline(__always)
    private func gatherEmissions(frame t: Int, start: Int, end: Int) {
        let logRow = logProbabilities + t * vocabularySize
        let row = emissionRow
        for j in start..<min(end, labelCount) { row[j] = logRow[labels[j]] }
    }

    /// Forward pass: log α_t for every frame, stored for the backward pass, and log p(l | x).
    ///
    ///     α₀(B₀) = y₀(blank),  α₀(L₀) = y₀(l₀),  every other α₀ = 0
    ///     α_t(B_j) = [α_{t−1}(B_j) + α_{t−1}(L_{j−1})] · y_t(blank)
    ///     α_t(L_j) = [α_{t−1}(L_j) + α_{t−1}(B_j) + α_{t−1}(L_{j−1})·[l_j ≠ l_{j−1}]] · y_t(l_j)
    ///     p(l | x) = α_{T−1}(B_L) + α_{T−1}(L_{L−1})
    ///
    /// all in log space (sums become log-sum-exp, products sums), SIMD over j. Requires T ≥ 1.
    func computeAlphas() -> Double {
        let blankLogProbability = { (t: Int) in self.logProbabilities[t * self.vocabularySize + self.blank] }
        let skip = skipRow
        let emission = emissionRow
        // Frame 0: a path starts in B₀ or L₀.
        let firstBlank = alphaBlankRow(0)
        let firstLabel = alphaLabelRow(0)
        clearOutside(firstBlank, start: 0, end: 0)
        clearOutside(firstLabel, start: 0, end: 0)
        firstBlank[0] = blankLogProbability(0)
        if labelCount > 0 { firstLabel[0] = logProbabilities[labels[0]] }

        for t in 1..<max(frames, 1) {
            let previousBlank = alphaBlankRow(t - 1)
            let previousLabel = alphaLabelRow(t - 1)
            let blankRow = alphaBlankRow(t)
            let labelRow = alphaLabelRow(t)
            let (start, end) = window(t)
            clearOutside(blankRow, start: start, end: end)
            clearOutside(labelRow, start: start, end: end)
            gatherEmissions(frame: t, start: start, end: end)
            let blankEmission = CTCLogSpace.Lanes(repeating: blankLogProbability(t))
            var j = start
            while j < end {
                let stay = CTCLogSpace.load(previousBlank + j)  // α_{t−1}(B_j)
                let label = CTCLogSpace.load(previousLabel + j)  // α_{t−1}(L_j)
                let labelBefore = CTCLogSpace.load(previousLabel + (j - 1))  // α_{t−1}(L_{j−1})
                CTCLogSpace.store(
                    CTCLogSpace.logSumExp(stay, labelBefore) + blankEmission, to: blankRow + j)
                CTCLogSpace.store(
                    CTCLogSpace.logSumExp(label, stay, labelBefore + CTCLogSpace.load(skip + j))
                        + CTCLogSpace.load(emission + j),
                    to: labelRow + j)
                j += width
            }
        }
        let last = frames - 1
        let endInBlank = alphaBlankRow(last)[labelCount]
        let endInLabel = labelCount > 0 ? alphaLabelRow(last)[labelCount - 1] : -.infinity
        return Self.logSumExp(endInBlank, endInLabel)
    }

    /// Backward pass: log β_t from the last frame down to the first, and at each frame the gradient
    /// row, written as Float into `gradient + t·gradientRowStride` (V values).
    ///
    ///     β_{T−1}(B_L) = β_{T−1}(L_{L−1}) = 1,  every other β_{T−1} = 0
    ///     β_t(B_j) = β_{t+1}(B_j)·y_{t+1}(blank) + β_{t+1}(L_j)·y_{t+1}(l_j)
    ///     β_t(L_j) = β_{t+1}(L_j)·y_{t+1}(l_j) + β_{t+1}(B_{j+1})·y_{t+1}(blank)
    ///                + β_{t+1}(L_{j+1})·y_{t+1}(l_{j+1})·[l_{j+1} ≠ l_j]
    ///
    /// in log space, SIMD over j. Only two β rows are kept: the gradient of frame t is formed as soon
    /// as β_t is known (`writeGradientRow`). Requires `computeAlphas()` first, and its result.
    func computeBetasAndGradient(
        logLikelihood: Double, weight: Double, gradient: UnsafeMutablePointer<Float>, gradientRowStride: Int
    ) {
        let skip = skipRow
        let emission = emissionRow
        var slot = (frames - 1) & 1
        // Last frame: a path must end in B_L or L_{L−1}.
        let lastBlank = betaBlankRow(slot)
        let lastLabel = betaLabelRow(slot)
        clearOutside(lastBlank, start: 0, end: 0)
        clearOutside(lastLabel, start: 0, end: 0)
        lastBlank[labelCount] = 0
        if labelCount > 0 { lastLabel[labelCount - 1] = 0 }
        writeGradientRow(
            frame: frames - 1, betaBlank: lastBlank, betaLabel: lastLabel, logLikelihood: logLikelihood,
            weight: weight, gradient: gradient + (frames - 1) * gradientRowStride)

        for t in stride(from: frames - 2, through: 0, by: -1) {
            let nextBlank = betaBlankRow(slot)
            let nextLabel = betaLabelRow(slot)
            slot ^= 1
            let blankRow = betaBlankRow(slot)
            let labelRow = betaLabelRow(slot)
            // β_{t+1}(s)·y_{t+1}(s) in place: after the gradient of frame t + 1, β_{t+1} alone is
            // no longer needed. Outside frame t + 1's window the row holds −∞ and stays so.
            let (nextStart, nextEnd) = window(t + 1)
            gatherEmissions(frame: t + 1, start: nextStart, end: nextEnd)
            let blankEmission = CTCLogSpace.Lanes(
                repeating: logProbabilities[(t + 1) * vocabularySize + blank])
            var j = nextStart
            while j < nextEnd {
                CTCLogSpace.store(CTCLogSpace.load(nextBlank + j) + blankEmission, to: nextBlank + j)
                CTCLogSpace.store(
                    CTCLogSpace.load(nextLabel + j) + CTCLogSpace.load(emission + j), to: nextLabel + j)
                j += width
            }
            let (start, end) = window(t)
            clearOutside(blankRow, start: start, end: end)
            clearOutside(labelRow, start: start, end: end)
            j = start
            while j < end {
                let stayBlank = CTCLogSpace.load(nextBlank + j)  // β_{t+1}(B_j)·y
                let stayLabel = CTCLogSpace.load(nextLabel + j)  // β_{t+1}(L_j)·y
                let blankAfter = CTCLogSpace.load(nextBlank + (j + 1))  // β_{t+1}(B_{j+1})·y
                let labelAfter = CTCLogSpace.load(nextLabel + (j + 1))  // β_{t+1}(L_{j+1})·y
                CTCLogSpace.store(CTCLogSpace.logSumExp(stayBlank, stayLabel), to: blankRow + j)
                CTCLogSpace.store(
                    CTCLogSpace.logSumExp(stayLabel, blankAfter, labelAfter + CTCLogSpace.load(skip + (j + 1))),
                    to: labelRow + j)
                j += width
            }
            writeGradientRow(
                frame: t, betaBlank: blankRow, betaLabel: labelRow, logLikelihood: logLikelihood,
                weight: weight, gradient: gradient + t * gradientRowStride)
        }
    }

    /// The gradient of weight·(−log p(l | x)) with respect to the logits of frame t:
    ///
    ///     ∂/∂x_t(k) = weight · (y_t(k) − Σ_{s : label(s) = k} γ_t(s)),   γ_t(s) = α_t(s)·β_t(s)/p(l | x)
    ///
    /// (the softmax minus the posterior occupancy; the log-softmax's Jacobian is folded in). The
    /// occupancies are divided by their own sum for the frame — 1 up to rounding, stored in
    /// `frameMass` — so each row sums to 0 to the last bit the arithmetic allows.
    @inline(__always)
    private func writeGradientRow(
        frame t: Int, betaBlank: UnsafeMutablePointer<Double>, betaLabel: UnsafeMutablePointer<Double>,
        logLikelihood: Double, weight: Double, gradient row: UnsafeMutablePointer<Float>
    ) {
        let alphaBlank = alphaBlankRow(t)
        let alphaLabel = alphaLabelRow(t)
        let occupancy = labelOccupancyRow
        let shift = CTCLogSpace.Lanes(repeating: logLikelihood)
        var blankSum = CTCLogSpace.Lanes(repeating: 0)
        var labelSum = CTCLogSpace.Lanes(repeating: 0)
        let (start, end) = window(t)
        var j = start
        while j < end {
            // log γ ≤ 0 up to rounding, so `exp`'s domain x ≤ 0 holds (a 1e-12 excess is harmless).
            let blankOccupancy = CTCLogSpace.exp(
                CTCLogSpace.load(alphaBlank + j) + CTCLogSpace.load(betaBlank + j) - shift)
            let labelOccupancy = CTCLogSpace.exp(
                CTCLogSpace.load(alphaLabel + j) + CTCLogSpace.load(betaLabel + j) - shift)
            blankSum += blankOccupancy
            labelSum += labelOccupancy
            CTCLogSpace.store(labelOccupancy, to: occupancy + j)
            j += width
        }
        let perVocabulary = vocabularyOccupancy
        for k in 0..<vocabularySize { perVocabulary[k] = 0 }
        perVocabulary[blank] = blankSum.sum()
        for j in start..<min(end, labelCount) { perVocabulary[labels[j]] += occupancy[j] }
        let mass = (blankSum + labelSum).sum()
        frameMass[t] = mass
        let scale = 1 / mass
        let probabilityRow = probabilities + t * vocabularySize
        for k in 0..<vocabularySize {
            row[k] = Float(weight * (probabilityRow[k] - perVocabulary[k] * scale))
        }
    }

    /// log(eᵃ + eᵇ) for two scalars, exact for −∞ (libm; used once per sequence).
    static func logSumExp(_ a: Double, _ b: Double) -> Double {
        let high = max(a, b)
        let low = min(a, b)
        if high == -.infinity { return -.infinity }
        return high + log1p(exp(low - high))
    }
}
