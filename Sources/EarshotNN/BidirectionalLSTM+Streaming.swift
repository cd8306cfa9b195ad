extension BidirectionalLSTM {
    /// Runs a `BidirectionalLSTM` over a stream of input steps in latency-controlled chunks, as training
    /// with a `LatencyControl` models it (`forward(…, latencyControl:)`, one `LatencyControl` for both):
    /// chunks of `Nc = control.chunkSteps` steps with `Nr = control.lookaheadSteps` steps of look-ahead
    /// (Zhang et al. 2015; Xue & Yan 2017). For each layer `k`, on the chunk's `Nc + Nr` input rows:
    /// - the forward direction runs the `Nc` chunk steps from the state carried from the previous chunk; the
    ///   state after them is what the next chunk starts from; then it runs the `Nr` look-ahead steps on
    ///   from there (their outputs feed the layer above but are recomputed with the next chunk);
    /// - the reverse direction starts from zero at the end of the look-ahead and runs back over all
    ///   `Nc + Nr` steps (the look-ahead warms it up);
    /// - the layer's `(Nc + Nr, 2H)` output is the next layer's input.
    ///
    /// So the forward direction is exactly the whole-sequence one; only the reverse direction sees a
    /// limited future. With `Nc ≥ T` the output equals `forward` over the whole sequence; with one layer it
    /// equals training's latency-controlled `forward` for every `Nc`, `Nr`.
    ///
    /// The stack is shared and read-only; this object is one stream's state: carried forward states, pending
    /// input steps, per-layer outputs and workspaces. Memory: `Nc + Nr` steps of input and of each layer's
    /// output. Not thread-safe: one per stream.
    public final class LatencyControlledStream {
        public let lstm: BidirectionalLSTM
        /// `Nc` and `Nr`.
        public let control: LatencyControl
        /// Per layer, the forward direction's state at the end of the last chunk, `(1, H)` each.
        private var states: [LSTMState]
        /// `[layer][direction]`.
        private let workspaces: [[any RecurrentWorkspace]]
        /// Input steps received but not yet run as a chunk, `(pendingSteps, I)` row-major.
        private var pending: [Float] = []
        /// Per layer, the output `(Nc + Nr, 2H)` of the chunk being processed.
        private let layerOutputs: [UnsafeMutablePointer<Float>]
        /// Steps whose outputs have been returned.
        public private(set) var emittedSteps = 0
        private var finished = false

        /// - Precondition: `control` is valid (`LatencyControl.validate()`; the options that carry it check it).
        public init(lstm: BidirectionalLSTM, control: LatencyControl) {
            do { try control.validate() } catch { preconditionFailure("invalid latency control: \(error)") }
            self.lstm = lstm
            self.control = control
            let h = lstm.configuration.hiddenSize, layers = lstm.configuration.layerCount
            states = (0..<layers).map { _ in LSTMState(zeroBatchSize: 1, hiddenSize: h) }
            let cell = lstm.configuration.cell
            workspaces = (0..<layers).map { _ in
                [cell.makeWorkspace(hiddenSize: h), cell.makeWorkspace(hiddenSize: h)]
            }
            let rows = control.windowSteps
            layerOutputs = (0..<layers).map { _ in
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: rows * 2 * h)
                buffer.initialize(repeating: 0, count: rows * 2 * h)
                return buffer
            }
        }

        deinit { for buffer in layerOutputs { buffer.deallocate() } }

        /// Starts a new sequence: zero states, nothing pending (the buffers are kept).
        public func reset() {
            let h = lstm.configuration.hiddenSize
            states = states.map { _ in LSTMState(zeroBatchSize: 1, hiddenSize: h) }
            pending.removeAll(keepingCapacity: true)
            emittedSteps = 0
            finished = false
        }

        /// Input steps held until their chunk and its look-ahead are complete.
        public var pendingSteps: Int { pending.count / lstm.configuration.inputSize }

        /// Appends input steps (`n · I` values, `(n, I)` row-major) and runs every chunk now complete with its
        /// look-ahead, calling `emit(rows, count)` with each chunk's final top-layer output `(count, 2H)`
        /// (valid during the call only).
        public func accept(_ steps: some Collection<Float>, emit: (UnsafePointer<Float>, Int) -> Void) {
            precondition(!finished, "accept after finish")
            precondition(
                steps.count % lstm.configuration.inputSize == 0,
                "\(steps.count) values are not whole steps of \(lstm.configuration.inputSize)")
            pending += steps
            let nc = control.chunkSteps, nr = control.lookaheadSteps
            while pendingSteps >= nc + nr { runChunk(chunk: nc, lookahead: nr, emit: emit) }
        }

        /// Ends the sequence: runs the steps still held, in chunks of at most `Nc` with whatever look-ahead
        /// remains, emitting as `accept` does.
        public func finish(emit: (UnsafePointer<Float>, Int) -> Void) {
            guard !finished else { return }
            finished = true
            while pendingSteps > 0 {
                let chunk = min(control.chunkSteps, pendingSteps)
                runChunk(chunk: chunk, lookahead: min(control.lookaheadSteps, pendingSteps - chunk), emit: emit)
            }
        }

        /// Runs the first `chunk + lookahead` pending steps through every layer, emits the top layer's `chunk`
        /// rows and drops the chunk from `pending`.
        private func runChunk(chunk: Int, lookahead: Int, emit: (UnsafePointer<Float>, Int) -> Void) {
            let configuration = lstm.configuration
            let h = configuration.hiddenSize, width = 2 * h, n = chunk + lookahead
            let chunkShape = SequenceBatchShape(timeSteps: chunk, batchSize: 1)
            let lookaheadShape = SequenceBatchShape(timeSteps: lookahead, batchSize: 1)
            let wholeShape = SequenceBatchShape(timeSteps: n, batchSize: 1)
            for k in 0..<configuration.layerCount {
                let layer = lstm.layers[k]
                let inputSize = configuration.inputSize(ofLayer: k)
                let forwardWorkspace = workspaces[k][0], reverseWorkspace = workspaces[k][1]
                let run = { (x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) in
                    // Forward direction: the chunk from the carried state; keep the state after it.
                    layer.forward.forward(
                        input: x, inputStride: inputSize, output: y, outputStride: width,
                        shape: chunkShape, workspace: forwardWorkspace, initialState: self.states[k])
                    self.states[k] = forwardWorkspace.finalState
                    // Then the look-ahead on from there (its state is not carried).
                    if lookahead > 0 {
                        layer.forward.forward(
                            input: x + chunk * inputSize, inputStride: inputSize,
                            output: y + chunk * width, outputStride: width, shape: lookaheadShape,
                            workspace: forwardWorkspace, initialState: self.states[k])
                    }
                    // Reverse direction: from zero at the end of the look-ahead, over chunk and look-ahead.
                    layer.reverse.forward(
                        input: x, inputStride: inputSize, output: y + h, outputStride: width,
                        shape: wholeShape, workspace: reverseWorkspace, initialState: nil)
                }
                if k == 0 {
                    pending.withUnsafeBufferPointer { x in run(x.baseAddress!, layerOutputs[0]) }
                } else {
                    run(UnsafePointer(layerOutputs[k - 1]), layerOutputs[k])
                }
            }
            emit(UnsafePointer(layerOutputs[configuration.layerCount - 1]), chunk)
            pending.removeFirst(chunk * configuration.inputSize)
            emittedSteps += chunk
        }
    }
}
