extension GRU {
    /// What one GRU direction saves in `forward` for `backward`, plus its scratch: one 64-byte-aligned
    /// allocation carved into the buffers below, sized for a batch shape and reused while later batches fit
    /// (it grows, never shrinks). Caller-owned, as `LSTM.Workspace`.
    ///
    /// `backward` overwrites `gates` and `hiddenGates` with gradients: run `forward` again before another
    /// `backward`.
    public final class Workspace: RecurrentWorkspace, @unchecked Sendable {
        /// `H`.
        public let hiddenSize: Int
        /// The shape of the last `forward`.
        public private(set) var shape: SequenceBatchShape?

        /// `(T, B, 3H)`: `X·W_ihᵀ`; after `forward`, the activations `r, z, n` of every step (zero rows at
        /// padding); after `backward`, the gradients of the input pre-activations `[da_r, da_z, da_n]`.
        private(set) var gates: UnsafeMutablePointer<Float>
        /// `(T, B, 3H)`: `h_prev·W_hhᵀ`; after `forward`, columns `2H..<3H` hold `W_hn·h + b_hn` (what
        /// the reset gate scaled); after `backward`, the gradients of the hidden pre-activations
        /// `[da_r, da_z, r ⊙ da_n]`.
        private(set) var hiddenGates: UnsafeMutablePointer<Float>
        /// `(H, 3H)`: `W_hhᵀ`, refreshed by every `forward`.
        private(set) var transposedWeightHidden: UnsafeMutablePointer<Float>
        /// `(4H)`: `[b_ir + b_hr, b_iz + b_hz, b_in, b_hn]`.
        private(set) var bias: UnsafeMutablePointer<Float>
        /// `(3H)` each: backward scratch, the column sums of the input and hidden pre-activation gradients.
        private(set) var biasGradientInput: UnsafeMutablePointer<Float>
        private(set) var biasGradientHidden: UnsafeMutablePointer<Float>
        /// `(B, H)`: the state before the first step (zero, or `forward`'s `initialState`).
        private(set) var initialHidden: UnsafeMutablePointer<Float>
        /// Whether `initialHidden` holds a caller's state (else it is zero).
        var hasInitialState = false
        /// Whether the last `forward` saved what `backward` needs (false after the int8 inference path).
        var savedForBackward = false
        /// The int8 path's quantised layer input `(T·B, I)` and previous hidden state `(B, H)`.
        let quantizedInput = Int8Activations()
        let quantizedHidden = Int8Activations()
        /// `(B, H)`: the state after each sequence's last step, gathered by `forward`.
        private(set) var finalHidden: UnsafeMutablePointer<Float>
        /// `(B, H)`: backward scratch, `dL/dh` arriving from the next step through `W_hh`.
        private(set) var recurrentGradient: UnsafeMutablePointer<Float>
        /// `(B, H)`: backward scratch, `dL/dh` carried to the previous step directly (`z ⊙ dh`).
        private(set) var hiddenGradient: UnsafeMutablePointer<Float>

        /// Rows (`T·B`) and sequences (`B`) the current allocation holds.
        public private(set) var rowCapacity = 0
        public private(set) var batchCapacity = 0
        private var storage: UnsafeMutableRawPointer?

        /// An empty workspace; the first `forward` sizes it. `reserve` sizes it up front.
        public init(hiddenSize: Int) {
            precondition(hiddenSize > 0, "hiddenSize must be positive")
            self.hiddenSize = hiddenSize
            let empty = UnsafeMutablePointer<Float>(bitPattern: 64)!  // never dereferenced at capacity 0
            (gates, hiddenGates, transposedWeightHidden, bias) = (empty, empty, empty, empty)
            (biasGradientInput, biasGradientHidden, initialHidden, finalHidden) = (empty, empty, empty, empty)
            (recurrentGradient, hiddenGradient) = (empty, empty)
        }

        deinit { storage?.deallocate() }

        /// Makes room for batches of up to `rows` (`T·B`) rows and `batchSize` sequences. Existing contents
        /// are lost if it has to grow.
        public func reserve(rows: Int, batchSize: Int) {
            guard storage == nil || rows > rowCapacity || batchSize > batchCapacity else { return }
            let rows = max(rows, rowCapacity)
            let batch = max(batchSize, batchCapacity)
            let h = hiddenSize
            // Sizes in floats, each rounded up to 16 floats (64 bytes) so every buffer starts aligned.
            let sizes = [
                rows * 3 * h, rows * 3 * h, h * 3 * h, 4 * h, 3 * h, 3 * h, batch * h, batch * h, batch * h, batch * h,
            ].map { ($0 + 15) / 16 * 16 }
            let total = max(sizes.reduce(0, +), 16)
            storage?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: total * 4, alignment: 64)
            let base = raw.bindMemory(to: Float.self, capacity: total)
            base.initialize(repeating: 0, count: total)
            var buffers: [UnsafeMutablePointer<Float>] = []
            var offset = 0
            for size in sizes {
                buffers.append(base + offset)
                offset += size
            }
            (gates, hiddenGates, transposedWeightHidden, bias) = (buffers[0], buffers[1], buffers[2], buffers[3])
            (biasGradientInput, biasGradientHidden) = (buffers[4], buffers[5])
            (initialHidden, finalHidden, recurrentGradient, hiddenGradient) = (
                buffers[6], buffers[7], buffers[8], buffers[9]
            )
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

        /// The state after each sequence's last step in the last `forward`: `hidden (B, H)` at
        /// `t = lengths[b] − 1` forward, `t = 0` reverse (the initial state for a sequence of length 0);
        /// `cell` is empty (a GRU has none).
        public var finalState: LSTMState {
            guard let shape else { preconditionFailure("finalState: no forward has run on this workspace") }
            return LSTMState(
                hidden: Array(UnsafeBufferPointer(start: finalHidden, count: shape.batchSize * hiddenSize)))
        }
    }
}
