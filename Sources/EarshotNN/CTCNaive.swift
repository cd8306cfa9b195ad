#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The plain-loop twin of `CTCLoss`: textbook CTC, the way Graves et al. (2006) write it — interleaved
/// extended labels (blank, l₀, blank, …, blank), full (T, 2L + 1) α and β matrices in Double, libm
/// `exp`/`log`, no pruning, no SIMD, one thread — and, to differ from the fast path in one more way,
/// Graves' convention that β_t(s) *includes* the emission y_t(s), so the occupancy is α·β/(y·p).
///
/// It is the reference the fast implementation is tested against (as `NaiveBLAS` is for `BLAS`) and
/// is obviously right rather than fast: O(T·L) memory per sequence and ~50× slower.
enum CTCNaive {
    /// One sequence's result: log p(target | x) (−∞ when no alignment fits) and the gradient of
    /// −log p with respect to the logits of its first T_b frames, (T_b, V) row-major (zero when −∞).
    struct Result {
        var logLikelihood: Double
        var gradient: [Double]
    }

    /// Same inputs as `CTCLoss.compute` (logits (T, B, V), unnormalised), weights all 1.
    static func compute(
        logits: [Float], timeSteps: Int, batchSize: Int, vocabularySize v: Int, blank: Int,
        inputLengths: [Int], targets: [[Int]]
    ) -> [Result] {
        (0..<batchSize).map { b in
            let frames = inputLengths[b]
            // Log-softmax per frame.
            var logY = [Double](repeating: 0, count: frames * v)
            for t in 0..<frames {
                let row = (t * batchSize + b) * v
                let maximum = Double(logits[row..<(row + v)].max()!)
                var sum = 0.0
                for k in 0..<v { sum += exp(Double(logits[row + k]) - maximum) }
                for k in 0..<v { logY[t * v + k] = Double(logits[row + k]) - maximum - log(sum) }
            }
            var extended = [blank]
            for label in targets[b] { extended += [label, blank] }
            let states = extended.count
            guard frames > 0 else {
                return Result(logLikelihood: targets[b].isEmpty ? 0 : -.infinity, gradient: [])
            }
            // s may be entered from s − 2 when it is a label different from the label two back.
            func canSkip(into s: Int) -> Bool { s >= 2 && extended[s] != blank && extended[s] != extended[s - 2] }

            var alpha = [Double](repeating: -.infinity, count: frames * states)
            alpha[0] = logY[extended[0]]
            if states > 1 { alpha[1] = logY[extended[1]] }
            for t in 1..<frames {
                for s in 0..<states {
                    var sum = alpha[(t - 1) * states + s]
                    if s >= 1 { sum = logAdd(sum, alpha[(t - 1) * states + s - 1]) }
                    if canSkip(into: s) { sum = logAdd(sum, alpha[(t - 1) * states + s - 2]) }
                    alpha[t * states + s] = sum + logY[t * v + extended[s]]
                }
            }
            let last = (frames - 1) * states
            let logLikelihood = logAdd(alpha[last + states - 1], states > 1 ? alpha[last + states - 2] : -.infinity)
            guard logLikelihood > -.infinity else {
                return Result(logLikelihood: logLikelihood, gradient: [Double](repeating: 0, count: frames * v))
            }

            var beta = [Double](repeating: -.infinity, count: frames * states)
            beta[last + states - 1] = logY[(frames - 1) * v + extended[states - 1]]
            if states > 1 { beta[last + states - 2] = logY[(frames - 1) * v + extended[states - 2]] }
            for t in stride(from: frames - 2, through: 0, by: -1) {
                for s in 0..<states {
                    var sum = beta[(t + 1) * states + s]
                    if s + 1 < states { sum = logAdd(sum, beta[(t + 1) * states + s + 1]) }
                    if s + 2 < states && canSkip(into: s + 2) { sum = logAdd(sum, beta[(t + 1) * states + s + 2]) }
                    beta[t * states + s] = sum + logY[t * v + extended[s]]
                }
            }

            var gradient = [Double](repeating: 0, count: frames * v)
            for t in 0..<frames {
                for k in 0..<v { gradient[t * v + k] = exp(logY[t * v + k]) }
                for s in 0..<states {
                    let logOccupancy =
                        alpha[t * states + s] + beta[t * states + s] - logY[t * v + extended[s]]
                        - logLikelihood
                    gradient[t * v + extended[s]] -= exp(logOccupancy)
                }
            }
            return Result(logLikelihood: logLikelihood, gradient: gradient)
        }
    }

    /// log(eᵃ + eᵇ), exact for −∞.
    static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return max(a, b) + log1p(exp(-abs(a - b)))
    }
}
