import Dispatch

/// Connectionist temporal classification loss (Graves et al. 2006): −log p(target | logits), summed
/// over every alignment of the target to the frames, and its gradient with respect to the logits.
///
/// Shapes: logits and gradient are `(T, B, V)` row-major — element [t][b][v] at `(t·B + b)·V + v`
/// (time-major, as PyTorch's `ctc_loss` and warp-ctc take them). Sequence b uses its first
/// `inputLengths[b]` frames; `targets[b]` holds its labels, none of them the blank.
///
/// How it is computed (warp-ctc's design, `CTCRecursions.swift`): log-softmax once per frame, then the
/// α (forward) and β (backward) recursions in log space over the extended label sequence (blank, l₁,
/// blank, …, blank) with the repeat rule, restricted to the states a complete path can occupy at each
/// frame; the gradient is softmax − posterior occupancy. Sequences are independent: with
/// `maxThreads ≥ 2` and enough work they are split across threads, with identical results.
///
/// Precision: logits are Float, everything after them is Double. A log-probability summed over
/// hundreds of frames reaches hundreds of nats, where a Float's spacing is 3e-5–6e-5; the occupancy
/// exp(α + β − log p) cancels three such numbers, so Float recursions put errors of ~1e-3 into
/// gradient entries whose size is ≤ 1 (measured: PyTorch's float32 `ctc_loss` is off by 1.1e-3 at
/// T = 333; `Tests/EarshotNNTests/Fixtures/README.md`). In Double the same cancellation costs ~1e-13,
/// and our Float gradient equals float64 PyTorch's rounded to Float.
///
/// Memory: each worker thread allocates one workspace per call, ≈ 16·T·(L + 4) + 16·T·V bytes for its
/// longest sequence (~1 MB at T = 333, L = 160, V = 29); nothing is allocated per sequence or frame.
///
/// A target that cannot be aligned — it needs L + (number of adjacent repeats) frames, one per label
/// and one blank between equal neighbours — is reported as `.impossible`, never as a silent 0
/// (warp-ctc's behaviour) or +∞; its gradient is zero and its weight is ignored.
public struct CTCLoss: Sendable {
    /// Index of the blank in the vocabulary.
    public var blank: Int = 0

    /// At most this many threads share the sequences of one call (1: the calling thread only). A
    /// second thread is used only when the batch has ≥ 2 feasible sequences and at least
    /// `parallelThreshold` state-frames of work, below which starting it costs more than it saves.
    public var maxThreads: Int = 2

    /// Work (Σ_b T_b·(L_b + 1), state-frames, ~22 ns each on one core) below which one thread does
    /// everything. Handing half the batch to a second thread costs ~60 µs (waking a dispatch worker),
    /// measured on the 2-core development machine as best of 101 calls, B = 2: 10,200 state-frames
    /// 228 → 176 µs, 22,800: 449 → 274 µs, the reference batch (~800,000): 17.8 → 9.5 ms (median).
    /// Below ~5,000 the second thread loses; 8,192 leaves a margin.
    public static let parallelThreshold = 8_192

    public init(blank: Int = 0) {
        self.blank = blank
    }

    /// Per-sequence result.
    public enum SequenceResult: Equatable, Sendable {
        /// −log p(target | logits), in nats.
        case loss(Float)
        /// The target needs `required` frames (its length plus one blank between each pair of equal
        /// adjacent labels) but the sequence has only `frames`.
        case impossible(targetLength: Int, required: Int, frames: Int)

        /// The loss, or nil for an impossible target.
        public var loss: Float? {
            if case .loss(let value) = self { return value }
            return nil
        }
    }

    /// The frames a target needs: one per label, plus one blank between each pair of equal adjacent
    /// labels (the path "a a" must read a, blank, a).
    public static func requiredFrames(target: [Int]) -> Int {
        var required = target.count
        for i in target.indices.dropFirst() where target[i] == target[i - 1] { required += 1 }
        return required
    }

    /// Loss of each sequence and, if `gradient` is given, d(Σ_b weights[b]·loss_b)/d logits written into
    /// it (T, B, V) (overwritten, not accumulated; zero for t ≥ inputLengths[b] and for impossible
    /// sequences, whose weight is ignored).
    ///
    /// `logits` are UNNORMALISED (pre-softmax) scores; log-softmax is applied inside (like warp-ctc),
    /// so the gradient is softmax − posterior occupancy, computed stably in log space.
    ///
    /// - Parameters:
    ///   - logits: (T, B, V) scores; every value in the frames a sequence uses must be finite.
    ///   - inputLengths: B frame counts, each in 0…T.
    ///   - targets: B label sequences; labels in 0..<V, never `blank`. An empty target is valid (the
    ///     path of all blanks).
    ///   - weights: B multipliers for the gradient (default all 1), e.g. 1/B for a mean.
    ///   - gradient: (T, B, V) output, or nil to compute the losses only (skips the backward pass).
    public func compute(
        logits: UnsafePointer<Float>, timeSteps: Int, batchSize: Int, vocabularySize: Int,
        inputLengths: [Int], targets: [[Int]], weights: [Float]? = nil,
        gradient: UnsafeMutablePointer<Float>?
    ) -> [SequenceResult] {
        let outcomes = logLikelihoods(
            logits: logits, timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize,
            inputLengths: inputLengths, targets: targets, weights: weights, gradient: gradient)
        return outcomes.enumerated().map { b, logLikelihood in
            guard let logLikelihood else {
                return .impossible(
                    targetLength: targets[b].count, required: Self.requiredFrames(target: targets[b]),
                    frames: inputLengths[b])
            }
            return .loss(Float(-logLikelihood))
        }
    }

    /// Convenience over arrays: `logits` holds T·B·V values; the gradient, when asked for, is a new
    /// (T, B, V) array.
    public func compute(
        logits: [Float], timeSteps: Int, batchSize: Int, vocabularySize: Int, inputLengths: [Int],
        targets: [[Int]], weights: [Float]? = nil, computeGradient: Bool
    ) -> (results: [SequenceResult], gradient: [Float]?) {
        precondition(
            logits.count == timeSteps * batchSize * vocabularySize,
            "CTCLoss: \(logits.count) logits for (T, B, V) = (\(timeSteps), \(batchSize), \(vocabularySize))")
        return logits.withUnsafeBufferPointer { logits in
            guard let base = logits.baseAddress else {  // T·B·V = 0: nothing to read
                var placeholder: Float = 0
                return (
                    compute(
                        logits: &placeholder, timeSteps: timeSteps, batchSize: batchSize,
                        vocabularySize: vocabularySize, inputLengths: inputLengths, targets: targets,
                        weights: weights, gradient: nil),
                    computeGradient ? [] : nil
                )
            }
            guard computeGradient else {
                return (
                    compute(
                        logits: base, timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize,
                        inputLengths: inputLengths, targets: targets, weights: weights, gradient: nil),
                    nil
                )
            }
            var results: [SequenceResult] = []
            let gradient = [Float](unsafeUninitializedCapacity: logits.count) { buffer, count in
                results = compute(
                    logits: base, timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize,
                    inputLengths: inputLengths, targets: targets, weights: weights,
                    gradient: buffer.baseAddress!)
                count = logits.count
            }
            return (results, gradient)
        }
    }

    /// log p(target_b | logits) for each sequence in Double, nil for an impossible target; writes the
    /// gradient as `compute` does. `compute` reports these as Float losses; tests that need the
    /// unrounded value (finite differences) call this.
    func logLikelihoods(
        logits: UnsafePointer<Float>, timeSteps: Int, batchSize: Int, vocabularySize: Int,
        inputLengths: [Int], targets: [[Int]], weights: [Float]? = nil,
        gradient: UnsafeMutablePointer<Float>?
    ) -> [Double?] {
        validate(
            timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize,
            inputLengths: inputLengths, targets: targets, weights: weights)
        let v = vocabularySize
        var outcomes = [Double?](repeating: nil, count: batchSize)
        let feasible = (0..<batchSize).filter { Self.requiredFrames(target: targets[$0]) <= inputLengths[$0] }

        // Rows no worker writes: frames past a sequence's length, and every row of an impossible one.
        if let gradient {
            for b in 0..<batchSize {
                let first = Self.requiredFrames(target: targets[b]) <= inputLengths[b] ? inputLengths[b] : 0
                for t in first..<timeSteps {
                    (gradient + (t * batchSize + b) * v).update(repeating: 0, count: v)
                }
            }
        }

        let groups = Self.partition(
            feasible, cost: { inputLengths[$0] * (targets[$0].count + 1) }, maxGroups: maxThreads)
        let gradientRowStride = batchSize * v
        let blank = self.blank
        outcomes.withUnsafeMutableBufferPointer { outcomes in
            let shared = SharedBuffers(logits: logits, gradient: gradient, outcomes: outcomes.baseAddress!)
            let work = { @Sendable (group: Int) in
                let sequences = groups[group]
                let workspace = CTCWorkspace(
                    frames: sequences.map { inputLengths[$0] }.max() ?? 0,
                    labels: sequences.map { targets[$0].count }.max() ?? 0, vocabularySize: v)
                for b in sequences {
                    let frames = inputLengths[b]
                    if frames == 0 {  // only an empty target fits in no frames: p = 1
                        shared.outcomes[b] = 0
                        continue
                    }
                    workspace.prepare(
                        logits: shared.logits, sequence: b, batchSize: batchSize, vocabularySize: v,
                        frames: frames, target: targets[b], blank: blank)
                    let logLikelihood = workspace.computeAlphas()
                    shared.outcomes[b] = logLikelihood
                    if let gradient = shared.gradient {
                        workspace.computeBetasAndGradient(
                            logLikelihood: logLikelihood, weight: Double(weights?[b] ?? 1),
                            gradient: gradient + b * v, gradientRowStride: gradientRowStride)
                    }
                }
            }
            if groups.count == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: groups.count, execute: work)
            }
        }
        return outcomes
    }

    /// Splits `sequences` into at most `maxGroups` groups of nearly equal total cost (largest first,
    /// each to the currently lightest group), or one group when the work is too small to share.
    static func partition(_ sequences: [Int], cost: (Int) -> Int, maxGroups: Int) -> [[Int]] {
        let total = sequences.reduce(0) { $0 + cost($1) }
        let count = min(maxGroups, sequences.count)
        guard count >= 2, total >= parallelThreshold else { return [sequences] }
        var groups = [[Int]](repeating: [], count: count)
        var loads = [Int](repeating: 0, count: count)
        for b in sequences.sorted(by: { cost($0) > cost($1) }) {
            let lightest = loads.indices.min { loads[$0] < loads[$1] }!
            groups[lightest].append(b)
            loads[lightest] += cost(b)
        }
        return groups
    }

    /// Preconditions shared by every entry point, with messages that name the offending value.
    private func validate(
        timeSteps: Int, batchSize: Int, vocabularySize: Int, inputLengths: [Int], targets: [[Int]],
        weights: [Float]?
    ) {
        precondition(timeSteps >= 0 && batchSize >= 0, "CTCLoss: negative shape T=\(timeSteps) B=\(batchSize)")
        precondition(vocabularySize >= 1, "CTCLoss: vocabulary size must be ≥ 1, got \(vocabularySize)")
        precondition(
            blank >= 0 && blank < vocabularySize, "CTCLoss: blank \(blank) outside vocabulary 0..<\(vocabularySize)")
        precondition(maxThreads >= 1, "CTCLoss: maxThreads must be ≥ 1, got \(maxThreads)")
        precondition(
            inputLengths.count == batchSize, "CTCLoss: \(inputLengths.count) input lengths for batch size \(batchSize)")
        precondition(targets.count == batchSize, "CTCLoss: \(targets.count) targets for batch size \(batchSize)")
        if let weights {
            precondition(weights.count == batchSize, "CTCLoss: \(weights.count) weights for batch size \(batchSize)")
        }
        for b in 0..<batchSize {
            precondition(
                inputLengths[b] >= 0 && inputLengths[b] <= timeSteps,
                "CTCLoss: input length \(inputLengths[b]) of sequence \(b) outside 0…\(timeSteps)")
            for (i, label) in targets[b].enumerated() {
                precondition(
                    label >= 0 && label < vocabularySize,
                    "CTCLoss: label \(label) at position \(i) of target \(b) outside vocabulary 0..<\(vocabularySize)")
                precondition(label != blank, "CTCLoss: target \(b) contains the blank (\(blank)) at position \(i)")
            }
        }
    }
}

/// The raw buffers the worker threads of one `CTCLoss` call share. Each worker writes only the
/// outcomes and gradient rows of its own sequences and only reads the logits, so sharing is race-free.
private struct SharedBuffers: @unchecked Sendable {
    let logits: UnsafePointer<Float>
    let gradient: UnsafeMutablePointer<Float>?
    let outcomes: UnsafeMutablePointer<Double?>
}
