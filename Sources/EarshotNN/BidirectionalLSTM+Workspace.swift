extension BidirectionalLSTM {
    /// Everything one forward/backward of a `BidirectionalLSTM` needs besides the weights: an
    /// `LSTM.Workspace` (or `GRU.Workspace`) per layer and direction, and one 64-byte-aligned allocation for the sequence
    /// buffers below. Sized by the first batch of a shape and reused (it grows, never shrinks).
    /// Caller-owned: one per stream or training loop.
    public final class Workspace: @unchecked Sendable {
        public let configuration: Configuration
        /// The shape of the last `forward`.
        public private(set) var shape: SequenceBatchShape?
        /// Whether the last `forward` ran in training mode (dropout on); `backward` follows it.
        public private(set) var wasTraining = false
        /// How the two directions of a layer share the machine. Default `.concurrentDirections`.
        public var schedule: Schedule = .concurrentDirections
        /// Draws the dropout masks of training-mode forwards (a trainer seeds it per step, so a resumed run
        /// draws the same masks).
        public var dropoutGenerator = SeededGenerator(seed: 0)
        /// When set, one stream number per batch column: column `b`'s masks before layer `k` are drawn from
        /// `dropoutGenerator.split(dropoutStreams[b]).split(k)`, so that a sequence's masks do not depend on
        /// the other sequences of its batch (data-parallel training splits a batch across processes). Nil:
        /// one stream for the whole `(T, B, 2H)` buffer.
        public var dropoutStreams: [UInt64]?
        /// `[layer][direction]`.
        let directions: [[any RecurrentWorkspace]]
        /// Per layer, `(T, B, 2H)`: `[h_fwd, h_rev]`, the layer's output (saved for backward).
        private(set) var layerOutputs: [UnsafeMutablePointer<Float>] = []
        /// Per layer `k ≥ 1` (index `k − 1`), `(T, B, 2H)`: layer `k`'s input after dropout, and the mask.
        private(set) var droppedInputs: [UnsafeMutablePointer<Float>] = []
        private(set) var dropoutMasks: [UnsafeMutablePointer<Float>] = []
        /// Two `(T, B, 2H)` buffers for the gradients flowing down between layers (layer `k` writes the
        /// gradient of its input into `layerGradients[k % 2]` and reads its upstream gradient from the
        /// other one).
        private(set) var layerGradients: [UnsafeMutablePointer<Float>] = []
        /// The reverse direction's windows of the last `forward` under latency control (`nil` without).
        var windows: ReverseWindows?
        let windowBuffers = WindowBuffers()
        /// Rows (`T·B`) the sequence buffers hold.
        public private(set) var rowCapacity = 0
        private var storage: UnsafeMutableRawPointer?

        public init(configuration: Configuration) {
            self.configuration = configuration
            let h = configuration.hiddenSize
            directions = (0..<configuration.layerCount).map { _ in
                [configuration.cell.makeWorkspace(hiddenSize: h), configuration.cell.makeWorkspace(hiddenSize: h)]
            }
        }

        deinit { storage?.deallocate() }

        /// Makes room for `rows` (`T·B`) rows and `batchSize` sequences.
        public func reserve(rows: Int, batchSize: Int) {
            for pair in directions { for workspace in pair { workspace.reserve(rows: rows, batchSize: batchSize) } }
            guard storage == nil || rows > rowCapacity else { return }
            let layers = configuration.layerCount
            let size = (rows * configuration.outputSize + 15) / 16 * 16  // floats per buffer, 64-byte multiple
            let count = layers + 2 * (layers - 1) + 2
            storage?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(size * count, 16) * 4, alignment: 64)
            let base = raw.bindMemory(to: Float.self, capacity: max(size * count, 16))
            base.initialize(repeating: 0, count: max(size * count, 16))
            let buffers = (0..<count).map { base + $0 * size }
            layerOutputs = Array(buffers[0..<layers])
            droppedInputs = Array(buffers[layers..<(2 * layers - 1)])
            dropoutMasks = Array(buffers[(2 * layers - 1)..<(3 * layers - 2)])
            layerGradients = Array(buffers[(3 * layers - 2)...])
            storage = raw
            rowCapacity = rows
            shape = nil
        }

        func begin(_ shape: SequenceBatchShape, training: Bool) {
            reserve(rows: shape.rowCount, batchSize: shape.batchSize)
            self.shape = shape
            wasTraining = training
        }

        /// The last layer's output of the last `forward`, `(T, B, 2H)` contiguous (`T·B·2H` values; zero
        /// at padding). Valid until the next `forward` or `reserve` on this workspace.
        public var output: UnsafeBufferPointer<Float> {
            guard let shape else { preconditionFailure("output: no forward has run on this workspace") }
            return UnsafeBufferPointer(
                start: layerOutputs[configuration.layerCount - 1],
                count: shape.rowCount * configuration.outputSize)
        }

        /// The final state of direction `direction` (0 forward, 1 reverse) of layer `layer` after the last
        /// `forward` (see `LSTM.Workspace.finalState`).
        public func finalState(layer: Int, direction: Int) -> LSTMState {
            directions[layer][direction].finalState
        }
    }
}
