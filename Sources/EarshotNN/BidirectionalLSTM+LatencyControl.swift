/// Latency control for training a `BidirectionalLSTM` the way a streaming recognizer runs it: chunks of
/// `chunkSteps` steps (`Nc`), each with `lookaheadSteps` (`Nr`) further steps that only warm up the
/// reverse direction (Zhang et al. 2015; Xue & Yan 2017).
///
/// With it, `BidirectionalLSTM.forward` runs every layer's forward direction over the whole sequence as
/// usual (a streaming recognizer carries that state from chunk to chunk, so nothing changes there), and
/// the reverse direction on *windows*: for the chunk starting at step `c·Nc`, the window is steps
/// `[c·Nc, c·Nc + Nc + Nr)` (cut at the sequence's end), run backwards from a zero state at its end;
/// only its first `Nc` outputs are kept, as the layer's reverse half for those steps. All windows of a
/// batch run as one padded batch of `Nc + Nr` steps, so the products stay large. `backward` follows the
/// same windows.
///
/// Exact for one layer: the output equals a streaming recognizer's. For deeper layers it is the usual
/// approximation: a window's look-ahead steps read the layer below's output as computed for their own
/// chunk (with a longer future for its reverse half) where streaming reads it as computed in the
/// look-ahead of the chunk before.
public struct LatencyControl: Codable, Equatable, Sendable, CustomStringConvertible {
    /// `Nc`, steps per chunk (≥ 1).
    public var chunkSteps: Int
    /// `Nr`, look-ahead steps after each chunk (≥ 0).
    public var lookaheadSteps: Int

    /// Any values, as a decoded one may hold; `validate()` checks they can run.
    public init(chunkSteps: Int, lookaheadSteps: Int) {
        self.chunkSteps = chunkSteps
        self.lookaheadSteps = lookaheadSteps
    }

    /// `Nc + Nr`, steps per reverse-direction window.
    public var windowSteps: Int { chunkSteps + lookaheadSteps }

    public var description: String { "Nc \(chunkSteps), Nr \(lookaheadSteps)" }
}

/// Where the reverse direction's windows lie in a padded batch `(T, B, ·)`, and the copies between the
/// batch layout and the windows' own padded batch `(Nc + Nr, W, ·)`.
struct ReverseWindows {
    let control: LatencyControl
    /// The batch the windows cut.
    let batch: SequenceBatchShape
    /// The windows as a padded batch: `Nc + Nr` steps, one sequence per window, longest first.
    let shape: SequenceBatchShape
    /// Per window: the batch sequence it belongs to and its first step there.
    let sequence: [Int]
    let start: [Int]

    init(batch: SequenceBatchShape, control: LatencyControl) {
        var windows: [(length: Int, sequence: Int, start: Int)] = []
        for (b, length) in batch.lengths.enumerated() {
            for start in stride(from: 0, to: length, by: control.chunkSteps) {
                windows.append((min(control.windowSteps, length - start), b, start))
            }
        }
        windows.sort { ($0.length, -$0.sequence, -$0.start) > ($1.length, -$1.sequence, -$1.start) }
        self.control = control
        self.batch = batch
        shape = SequenceBatchShape(timeSteps: control.windowSteps, lengths: windows.map(\.length))
        sequence = windows.map(\.sequence)
        start = windows.map(\.start)
    }

    /// Calls `body(windowRow, batchRow, isChunkStep)` for every valid step of every window.
    @inline(__always)
    private func forEachStep(_ body: (Int, Int, Bool) -> Void) {
        let w = shape.batchSize, b = batch.batchSize
        for window in 0..<w {
            for tau in 0..<shape.lengths[window] {
                body(tau * w + window, (start[window] + tau) * b + sequence[window], tau < control.chunkSteps)
            }
        }
    }

    /// Copies `width` values of every batch row a window covers into the windows' rows (`width` apart).
    func gather(
        _ source: UnsafePointer<Float>, stride sourceStride: Int, width: Int, into windows: UnsafeMutablePointer<Float>
    ) {
        forEachStep { windowRow, batchRow, _ in
            (windows + windowRow * width).update(from: source + batchRow * sourceStride, count: width)
        }
    }

    /// Writes the chunk steps of every window (`width` values, rows `width` apart) to their batch rows
    /// (rows `stride` apart); each valid batch row is some window's chunk step, exactly once.
    func scatterChunkSteps(
        _ windows: UnsafePointer<Float>, width: Int, into target: UnsafeMutablePointer<Float>, stride: Int
    ) {
        forEachStep { windowRow, batchRow, isChunk in
            if isChunk { (target + batchRow * stride).update(from: windows + windowRow * width, count: width) }
        }
    }

    /// The windows' output gradient from the batch's: the chunk steps' rows, zero at look-ahead steps
    /// (whose outputs are not used).
    func gatherChunkGradient(
        _ source: UnsafePointer<Float>, stride sourceStride: Int, width: Int, into windows: UnsafeMutablePointer<Float>
    ) {
        forEachStep { windowRow, batchRow, isChunk in
            let row = windows + windowRow * width
            if isChunk {
                row.update(from: source + batchRow * sourceStride, count: width)
            } else {
                row.update(repeating: 0, count: width)
            }
        }
    }

    /// Adds every window row (`width` values, rows `width` apart) to the batch row it came from (rows
    /// `stride` apart): a look-ahead step's input feeds two windows, so its gradient has two parts.
    func scatterAdd(
        _ windows: UnsafePointer<Float>, width: Int, into target: UnsafeMutablePointer<Float>, stride: Int
    ) {
        forEachStep { windowRow, batchRow, _ in
            let from = windows + windowRow * width, to = target + batchRow * stride
            for i in 0..<width { to[i] += from[i] }
        }
    }
}

extension BidirectionalLSTM.Workspace {
    /// The reverse direction's windowed buffers under latency control: per layer the windows' input
    /// `(Nc + Nr, W, I_k)` and output `(Nc + Nr, W, H)` (saved for backward), and one gradient buffer of
    /// each width shared by the layers. Grown as needed, never shrunk.
    final class WindowBuffers {
        private(set) var inputs: [UnsafeMutablePointer<Float>] = []
        private(set) var outputs: [UnsafeMutablePointer<Float>] = []
        private(set) var outputGradient: UnsafeMutablePointer<Float>?
        private(set) var inputGradient: UnsafeMutablePointer<Float>?
        private var capacity = 0
        private var storage: UnsafeMutablePointer<Float>?

        deinit { storage?.deallocate() }

        func reserve(rows: Int, configuration: BidirectionalLSTM.Configuration) {
            guard rows > capacity else { return }
            let h = configuration.hiddenSize, layers = configuration.layerCount
            let widest = max(configuration.inputSize, 2 * h)
            let sizes =
                (0..<layers).map { configuration.inputSize(ofLayer: $0) } + [Int](repeating: h, count: layers)
                + [h, widest]
            let floats = sizes.map { (rows * $0 + 15) / 16 * 16 }
            storage?.deallocate()
            let base = UnsafeMutablePointer<Float>.allocate(capacity: floats.reduce(0, +))
            base.initialize(repeating: 0, count: floats.reduce(0, +))
            var offsets: [UnsafeMutablePointer<Float>] = []
            var next = base
            for n in floats {
                offsets.append(next)
                next += n
            }
            inputs = Array(offsets[0..<layers])
            outputs = Array(offsets[layers..<(2 * layers)])
            outputGradient = offsets[2 * layers]
            inputGradient = offsets[2 * layers + 1]
            storage = base
            capacity = rows
        }
    }
}
