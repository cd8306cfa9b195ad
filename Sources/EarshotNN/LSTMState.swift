/// The recurrent state of one LSTM direction for a batch: `h` and `c`, each `(B, H)` row-major.
///
/// What streaming carries from one chunk to the next: the final state of a chunk's forward direction
/// (`LSTM.Workspace.finalState`) is the `initialState` of the next chunk's.
public struct LSTMState: Equatable, Sendable {
    /// `h (B, H)`.
    public var hidden: [Float]
    /// `c (B, H)`.
    public var cell: [Float]

    public init(hidden: [Float], cell: [Float]) {
        precondition(hidden.count == cell.count, "LSTMState: h has \(hidden.count) values, c \(cell.count)")
        self.hidden = hidden
        self.cell = cell
    }

    /// The zero state of `batchSize` sequences of `hiddenSize` units.
    public init(zeroBatchSize batchSize: Int, hiddenSize: Int) {
        hidden = [Float](repeating: 0, count: batchSize * hiddenSize)
        cell = hidden
    }
}
