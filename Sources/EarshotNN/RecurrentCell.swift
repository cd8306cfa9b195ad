/// The recurrent cell of a `BidirectionalLSTM` stack: which equations each direction of each layer runs.
///
/// - `lstm`: PyTorch's `nn.LSTM` cell (`LSTM`), 4 gates per unit; optionally with peephole connections
///   (`BidirectionalLSTM.Configuration.peepholes`, `LSTM.Peepholes`).
/// - `gru`: PyTorch's `nn.GRU` cell (`GRU`), 3 gates per unit: a quarter fewer weights than an LSTM of the
///   same `H`, and no cell state.
///
/// Both use the same state-dict names (`weight_ih_l<k>[_reverse]`, `weight_hh_…`, `bias_ih_…`,
/// `bias_hh_…`); only the gate count in the first dimension differs, `gateCount · H`.
public enum RecurrentCell: String, Codable, Sendable, CaseIterable {
    case lstm
    case gru

    /// Gate rows per hidden unit in `weight_ih`, `weight_hh` and the biases: 4 (i, f, g, o) or 3 (r, z, n).
    public var gateCount: Int {
        switch self {
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// An empty workspace for one direction of this cell with `hiddenSize` units (`LSTM.Workspace`,
    /// `GRU.Workspace`); the first `forward` sizes it.
    public func makeWorkspace(hiddenSize: Int) -> any RecurrentWorkspace {
        switch self {
        case .lstm: return LSTM.Workspace(hiddenSize: hiddenSize)
        case .gru: return GRU.Workspace(hiddenSize: hiddenSize)
        }
    }
}
