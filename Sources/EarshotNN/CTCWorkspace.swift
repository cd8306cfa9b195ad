#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Scratch memory and per-sequence set-up for `CTCLoss`: one workspace serves every sequence a worker
/// thread handles in one call, so nothing is allocated per sequence or per frame.
///
/// The extended label sequence of a target l₀ … l_{L−1} is (blank, l₀, blank, l₁, …, l_{L−1}, blank):
/// 2L + 1 states. Here it is stored **de-interleaved** — blank states `B_j` (j = 0 … L, the blank
/// before label j) and label states `L_j` (j = 0 … L−1) in two rows indexed by the same j — because
/// then every blank state emits the same log-probability (a broadcast), the recursions are the same
/// for every j of a row (SIMD over j), and a state's neighbours are at j and j ± 1:
///
///     extended:  B₀  L₀  B₁  L₁  …  L_{L−1}  B_L
///     α_t(B_j) from α_{t−1}(B_j), α_{t−1}(L_{j−1})
///     α_t(L_j) from α_{t−1}(L_j), α_{t−1}(B_j), α_{t−1}(L_{j−1}) if l_j ≠ l_{j−1} (the repeat rule)
///
/// Row layout, for every state row (alphas, betas) and the per-label rows (`emission`, `skip`): `N =
/// paddedStates` entries for j = 0 … N−1 (N = L + 1 rounded up to the SIMD width), plus `width`
/// entries of padding on each side, so that reading j − 1 and j + 1 never leaves the row. Entries that
/// no path can occupy hold −∞ (label "states" j ≥ L included), which is what makes the padding safe.
final class CTCWorkspace {
    /// SIMD width of the recursions (`CTCLogSpace.Lanes`).
    let width = CTCLogSpace.width

    // The sequence being processed (set by `prepare`).
    /// T_b: frames of this sequence.
    private(set) var frames = 0
    /// L: target length.
    private(set) var labelCount = 0
    /// V: vocabulary size, blank included.
    private(set) var vocabularySize = 0
    /// Index of the blank in the vocabulary.
    private(set) var blank = 0
    /// N: label-axis entries per row, L + 1 rounded up to a multiple of `width`.
    private(set) var paddedStates = 0
    /// N + 2·width: distance between consecutive rows of a state matrix.
    private(set) var rowStride = 0

    // Capacities of the allocation.
    /// Largest T_b this workspace can hold.
    let frameCapacity: Int
    /// Largest L this workspace can hold.
    let labelCapacity: Int
    /// Largest V this workspace can hold.
    let vocabularyCapacity: Int
    private let storage: UnsafeMutableRawPointer

    // Buffers carved from `storage`, in the shapes used for the current sequence.
    /// (T, V): log-softmax of the logits, in Double.
    let logProbabilities: UnsafeMutablePointer<Double>
    /// (T, V): softmax of the logits (e^logProbabilities), the first term of the gradient.
    let probabilities: UnsafeMutablePointer<Double>
    /// (T, rowStride): log α over blank states; `alphaBlankRow(t)[j]` is log α_t(B_j).
    private let alphaBlank: UnsafeMutablePointer<Double>
    /// (T, rowStride): log α over label states.
    private let alphaLabel: UnsafeMutablePointer<Double>
    /// (2, rowStride): log β over blank states for two consecutive frames (ping-pong: only the frame
    /// being computed and the one after it are ever needed).
    private let betaBlank: UnsafeMutablePointer<Double>
    /// (2, rowStride): log β over label states.
    private let betaLabel: UnsafeMutablePointer<Double>
    /// (rowStride): log y_t(l_j) for the frame at hand; −∞ for j ≥ L.
    private let emission: UnsafeMutablePointer<Double>
    /// (rowStride): 0 where label state L_j may be entered from L_{j−1} directly (l_j ≠ l_{j−1}),
    /// −∞ where it may not (repeats, j = 0, j ≥ L); added to α(L_{j−1}) so the rule costs no branch.
    private let skip: UnsafeMutablePointer<Double>
    /// (rowStride): occupancy of the label states for the frame at hand (gradient scratch).
    private let labelOccupancy: UnsafeMutablePointer<Double>
    /// (V): occupancy summed per vocabulary entry (gradient scratch).
    let vocabularyOccupancy: UnsafeMutablePointer<Double>
    /// (T): Σ over states of α_t·β_t / p(l | x) for each frame, as computed — 1 up to rounding for
    /// every t (a self-check the tests read).
    let frameMass: UnsafeMutablePointer<Double>
    /// (L): the target, as vocabulary indices.
    let labels: UnsafeMutablePointer<Int>

    /// A workspace for sequences of up to `frames` frames and `labels` labels over `vocabularySize`
    /// entries: one allocation, made here, for every sequence a worker processes.
    init(frames: Int, labels: Int, vocabularySize: Int) {
        frameCapacity = max(frames, 1)
        labelCapacity = labels
        vocabularyCapacity = vocabularySize
        let t = frameCapacity
        let v = vocabularyCapacity
        let r = Self.paddedStates(labels: labels, width: width) + 2 * width
        // Doubles: two (T, V), two (T, R), two (2, R), three (R), one (V), one (T); then L + 1 Ints.
        let doubles = 2 * t * v + 2 * t * r + 4 * r + 3 * r + v + t
        let bytes = doubles * MemoryLayout<Double>.stride + (labels + 1) * MemoryLayout<Int>.stride
        storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        var next = storage.bindMemory(to: Double.self, capacity: doubles)
        func carve(_ count: Int) -> UnsafeMutablePointer<Double> {
            defer { next += count }
            return next
        }
        logProbabilities = carve(t * v)
        probabilities = carve(t * v)
        alphaBlank = carve(t * r)
        alphaLabel = carve(t * r)
        betaBlank = carve(2 * r)
        betaLabel = carve(2 * r)
        emission = carve(r)
        skip = carve(r)
        labelOccupancy = carve(r)
        vocabularyOccupancy = carve(v)
        frameMass = carve(t)
        self.labels = UnsafeMutableRawPointer(next).bindMemory(to: Int.self, capacity: labels + 1)
    }

    deinit { storage.deallocate() }

    /// Pointer to entry j = 0 of row `t` of α over blank states (valid for j ∈ [−width, N + width)).
    @inline(__always) func alphaBlankRow(_ t: Int) -> UnsafeMutablePointer<Double> {
        alphaBlank + (t * rowStride + width)
    }
    /// Pointer to entry j = 0 of row `t` of α over label states.
    @inline(__always) func alphaLabelRow(_ t: Int) -> UnsafeMutablePointer<Double> {
        alphaLabel + (t * rowStride + width)
    }
    /// Pointer to entry j = 0 of β row `slot` (0 or 1) over blank states.
    @inline(__always) func betaBlankRow(_ slot: Int) -> UnsafeMutablePointer<Double> {
        betaBlank + (slot * rowStride + width)
    }
    /// Pointer to entry j = 0 of β row `slot` (0 or 1) over label states.
    @inline(__always) func betaLabelRow(_ slot: Int) -> UnsafeMutablePointer<Double> {
        betaLabel + (slot * rowStride + width)
    }
    /// `emissionRow[j]` is log y_t(l_j) for the frame at hand (valid for j ∈ [−width, N + width)).
    @inline(__always) var emissionRow: UnsafeMutablePointer<Double> { emission + width }
    /// The repeat-rule row, indexed like `emissionRow`.
    @inline(__always) var skipRow: UnsafeMutablePointer<Double> { skip + width }
    /// The label-occupancy row, indexed like `emissionRow`.
    @inline(__always) var labelOccupancyRow: UnsafeMutablePointer<Double> { labelOccupancy + width }

    /// L + 1 rounded up to a multiple of `width`: the label-axis entries of a row.
    static func paddedStates(labels: Int, width: Int) -> Int {
        (labels + 1 + width - 1) / width * width
    }

    /// Sets the workspace up for sequence `sequence` of a `(T, B, V)` logits tensor: the target's
    /// labels and repeat rule, and the log-softmax of its first `frames` frames (plus the softmax,
    /// which the gradient needs). The target must already be validated and fit in `frames`.
    ///
    /// Log-softmax is computed once per frame, in Double from the Float logits:
    /// log y_t(k) = x_k − max_j x_j − log Σ_j e^(x_j − max_j x_j). The max shift keeps every exponent
    /// ≤ 0, so nothing overflows for any finite logits.
    func prepare(
        logits: UnsafePointer<Float>, sequence b: Int, batchSize: Int, vocabularySize v: Int,
        frames t: Int, target: [Int], blank: Int
    ) {
        precondition(
            t <= frameCapacity && target.count <= labelCapacity && v <= vocabularyCapacity,
            "CTCWorkspace: sequence (T \(t), L \(target.count), V \(v)) exceeds its capacity")
        precondition(
            CTCLoss.requiredFrames(target: target) <= t, "CTCWorkspace: the target does not fit in \(t) frames")
        frames = t
        labelCount = target.count
        vocabularySize = v
        self.blank = blank
        paddedStates = Self.paddedStates(labels: labelCount, width: width)
        rowStride = paddedStates + 2 * width

        // Target, repeat rule and emission row over the whole padded row [−width, N + width).
        let rowStart = -width
        let rowEnd = paddedStates + width
        for j in rowStart..<rowEnd {
            emission[width + j] = -.infinity
            skip[width + j] = -.infinity
        }
        for (j, label) in target.enumerated() {
            labels[j] = label
            if j > 0 && label != target[j - 1] { skip[width + j] = 0 }
        }

        // Log-softmax and softmax, frame by frame; the exponentials for all frames in one SIMD pass.
        for frame in 0..<t {
            let x = logits + (frame * batchSize + b) * v
            var maximum = -Float.infinity
            var finite = true
            for k in 0..<v {
                finite = finite && x[k].isFinite
                maximum = max(maximum, x[k])
            }
            precondition(finite, "CTCLoss: logits of sequence \(b) at frame \(frame) are not all finite")
            let shift = Double(maximum)
            let logRow = logProbabilities + frame * v
            let probabilityRow = probabilities + frame * v
            for k in 0..<v {
                let shifted = Double(x[k]) - shift
                logRow[k] = shifted
                probabilityRow[k] = shifted
            }
        }
        CTCLogSpace.expInPlace(probabilities, count: t * v)
        for frame in 0..<t {
            let logRow = logProbabilities + frame * v
            let probabilityRow = probabilities + frame * v
            var sum = 0.0
            for k in 0..<v { sum += probabilityRow[k] }  // ≥ 1: the maximum contributes e⁰
            let logSum = log(sum)
            let inverse = 1 / sum
            for k in 0..<v {
                logRow[k] -= logSum
                probabilityRow[k] *= inverse
            }
        }
    }
}
