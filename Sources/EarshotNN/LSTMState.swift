/// The recurrent state of one recurrent direction for a batch: `h` and, for an LSTM, `c`, each `(B, H)`
/// row-major (a GRU's state is `h` alone: `cell` is empty).
///
/// What streaming carries from one chunk to the next: the final state of a chunk's forward direction
/// (`LSTM.Workspace.finalState`) is the `initialState` of the next chunk's.
public struct LSTMState: Equatable, Sendable {
    /// `h (B, H)`.
    public var hidden: [Float]
    /// `c (B, H)`; empty for a GRU.
    public var cell: [Float]

    /// `cell` empty: the state of a GRU.
    public init(hidden: [Float], cell: [Float] = []) {
        precondition(
            cell.isEmpty || hidden.count == cell.count, "LSTMState: h has \(hidden.count) values, c \(cell.count)")
        self.hidden = hidden
        self.cell = cell
    }

    /// The zero state of `batchSize` sequences of `hiddenSize` units.
    public init(zeroBatchSize batchSize: Int, hiddenSize: Int) {
        hidden = [Float](repeating: 0, count: batchSize * hiddenSize)
        cell = hidden
    }
}
