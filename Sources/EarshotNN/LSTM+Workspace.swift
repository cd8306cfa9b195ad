extension LSTM {
    /// What one LSTM direction saves in `forward` for `backward`, plus its scratch: one 64-byte-aligned
    /// allocation, carved into the buffers below, sized for a batch shape and reused while later
    /// batches fit (it grows, never shrinks). Caller-owned, so that weights can be shared by several
    /// streams or threads, each with its own workspace; one workspace serves one forward/backward at a
    /// time.
    ///
    /// `backward` overwrites `gates` with the gate gradients, so the saved activations are consumed: run
    /// `forward` again before another `backward`.
    public final class Workspace: @unchecked Sendable {
        /// `H`.
        public let hiddenSize: Int
        /// The shape of the last `forward` (what `backward` and `finalState` refer to).
        public private(set) var shape: SequenceBatchShape?

        /// `(T, B, 4H)`: after `forward`, the gate activations `i, f, g, o` of every step (zero rows at
        /// padding); after `backward`, the gradients of the gate pre-activations.
        private(set) var gates: UnsafeMutablePointer<Float>
        /// `(T, B, H)`: the cell state `c` after every step (zero at padding).
        private(set) var cells: UnsafeMutablePointer<Float>
        /// `(T, B, H)`: `tanh(c)` after every step.
        private(set) var cellTanh: UnsafeMutablePointer<Float>
        /// `(H, 4H)`: `W_hhᵀ`, refreshed by every `forward` (the recurrent product reads it in this
        /// layout; see `LSTM.forward`).
        private(set) var transposedWeightHidden: UnsafeMutablePointer<Float>
        /// `(4H)`: `b_ih + b_hh`.
        private(set) var biasSum: UnsafeMutablePointer<Float>
        /// `(4H)`: backward scratch, the column sums of the gate gradients.
        private(set) var biasGradient: UnsafeMutablePointer<Float>
        /// `(3H)` each, with peepholes: `[w_ci, w_cf, w_co]` copied by `forward`, and backward's sums of
        /// their gradients.
        private(set) var peepholeWeights: UnsafeMutablePointer<Float>
        private(set) var peepholeGradient: UnsafeMutablePointer<Float>
        /// `(B, H)` each: the state before the first step (zero, or `forward`'s `initialState`).
        private(set) var initialHidden: UnsafeMutablePointer<Float>
        private(set) var initialCell: UnsafeMutablePointer<Float>
        /// Whether `initialHidden`/`initialCell` hold a caller's state (else they are zero).
        var hasInitialState = false
        /// Whether the last `forward` saved what `backward` needs (false after the int8 inference path).
        var savedForBackward = false
        /// The int8 path's quantised layer input `(T·B, I)` and previous hidden state `(B, H)`.
        let quantizedInput = Int8Activations()
        let quantizedHidden = Int8Activations()
        /// `(B, H)` each: the state after each sequence's last step, gathered by `forward`.
        private(set) var finalHidden: UnsafeMutablePointer<Float>
        private(set) var finalCell: UnsafeMutablePointer<Float>
        /// `(B, H)`: backward scratch, `dL/dh` arriving from the next step through `W_hh`.
        private(set) var recurrentGradient: UnsafeMutablePointer<Float>
        /// `(B, H)`: backward scratch, `dL/dc` carried to the previous step.
        private(set) var cellGradient: UnsafeMutablePointer<Float>

        /// Rows (`T·B`) and sequences (`B`) the current allocation holds.
        public private(set) var rowCapacity = 0
        public private(set) var batchCapacity = 0
        private var storage: UnsafeMutableRawPointer?

        /// An empty workspace; the first `forward` sizes it. `reserve` sizes it up front.
        public init(hiddenSize: Int) {
            precondition(hiddenSize > 0, "hiddenSize must be positive")
            self.hiddenSize = hiddenSize
            let empty = UnsafeMutablePointer<Float>(bitPattern: 64)!  // never dereferenced at capacity 0
            (gates, cells, cellTanh, transposedWeightHidden) = (empty, empty, empty, empty)
            (biasSum, biasGradient) = (empty, empty)
            (initialHidden, initialCell, finalHidden, finalCell) = (empty, empty, empty, empty)
            (recurrentGradient, cellGradient) = (empty, empty)
            (peepholeWeights, peepholeGradient) = (empty, empty)
        }

        deinit { storage?.deallocate() }

        /// Makes room for batches of up to `rows` (`T·B`) rows and `batchSize` sequences. Existing
        /// contents are lost if it has to grow.
        public func reserve(rows: Int, batchSize: Int) {
            guard storage == nil || rows > rowCapacity || batchSize > batchCapacity else { return }
            let rows = max(rows, rowCapacity)
            let batch = max(batchSize, batchCapacity)
            let h = hiddenSize
            // Sizes in floats, each rounded up to 16 floats (64 bytes) so every buffer starts aligned.
            let sizes = [
                rows * 4 * h, rows * h, rows * h, h * 4 * h, 4 * h, 4 * h,
                batch * h, batch * h, batch * h, batch * h, batch * h, batch * h, 3 * h, 3 * h,
            ].map { ($0 + 15) / 16 * 16 }
            let total = sizes.reduce(0, +)
            storage?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(total, 16) * 4, alignment: 64)
            let base = raw.bindMemory(to: Float.self, capacity: max(total, 16))
            base.initialize(repeating: 0, count: max(total, 16))
            var offset = 0
            func next(_ index: Int) -> UnsafeMutablePointer<Float> {
                defer { offset += sizes[index] }
                return base + offset
            }
            gates = next(0)
            cells = next(1)
            cellTanh = next(2)
            transposedWeightHidden = next(3)
            biasSum = next(4)
            biasGradient = next(5)
            initialHidden = next(6)
            initialCell = next(7)
            finalHidden = next(8)
            finalCell = next(9)
            recurrentGradient = next(10)
            cellGradient = next(11)
            peepholeWeights = next(12)
            peepholeGradient = next(13)
            storage = raw
            rowCapacity = rows
            batchCapacity = batch
            shape = nil
        }

        /// Sizes for `shape` and records it as the current batch.
        func begin(_ shape: SequenceBatchShape) {
            reserve(rows: shape.rowCount, batchSize: shape.batchSize)
            self.shape = shape
        }

        /// The state after each sequence's last step in the last `forward` (`(B, H)` each): for the
        /// forward direction the state at `t = lengths[b] − 1`, for the reverse direction at `t = 0`;
        /// the initial state for a sequence of length 0.
        public var finalState: LSTMState {
            guard let shape else { preconditionFailure("finalState: no forward has run on this workspace") }
            let count = shape.batchSize * hiddenSize
            return LSTMState(
                hidden: Array(UnsafeBufferPointer(start: finalHidden, count: count)),
                cell: Array(UnsafeBufferPointer(start: finalCell, count: count)))
        }
    }
}
