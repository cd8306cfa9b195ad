/// One direction of one recurrent layer over a padded batch — what `BidirectionalLSTM`, its
/// latency-controlled windows and its streaming run need of a cell, so that they are written once for
/// every cell (`LSTM`, `GRU`).
///
/// Shapes as in `LSTM.forward`/`backward`: input `X (T, B, I)`, output `h (T, B, H)`, both with row
/// strides; padded rows are ignored on input and zero on output (`SequenceBatchShape`). Every parameter
/// has the state-dict names of `LSTM.parameterNames`, its first dimension `gateCount · H`.
public protocol RecurrentDirection: AnyObject, Sendable {
    /// `I`, values per input row.
    var inputSize: Int { get }
    /// `H`, hidden units (values per output row).
    var hiddenSize: Int { get }
    var direction: LSTM.Direction { get }
    /// Which equations this direction runs.
    var cell: RecurrentCell { get }
    /// `weight_ih (G·H, I)`, `weight_hh (G·H, H)`, `bias_ih (G·H)`, `bias_hh (G·H)`, `G = cell.gateCount`.
    var weightInput: Parameter { get }
    var weightHidden: Parameter { get }
    var biasInput: Parameter { get }
    var biasHidden: Parameter { get }
    /// Every parameter in state-dict order.
    var parameters: [Parameter] { get }
    /// The precision of the weights `forward` multiplies with.
    var weightPrecision: WeightPrecision { get }

    /// Runs the direction over a padded batch and saves what `backward` needs in `workspace` (one made by
    /// `makeWorkspace`). `initialState`: the state before the first step, forward direction only.
    func forward(
        input: UnsafePointer<Float>, inputStride: Int?, output: UnsafeMutablePointer<Float>, outputStride: Int?,
        shape: SequenceBatchShape, workspace: any RecurrentWorkspace, initialState: LSTMState?)

    /// Backpropagation through time of the last `forward` on `workspace`: adds every parameter's gradient.
    func backward(
        input: UnsafePointer<Float>, inputStride: Int?, output: UnsafePointer<Float>, outputStride: Int?,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int?, workspace: any RecurrentWorkspace)

    /// `dL/dX` for rows `rows` of the last `backward` (all by default), written or, with `accumulate`, added
    /// at `inputGradient + r·stride`.
    func inputGradient(
        into inputGradient: UnsafeMutablePointer<Float>, stride: Int?, accumulate: Bool, rows: Range<Int>?,
        workspace: any RecurrentWorkspace)

    /// The same direction over the same parameters with weights of `precision` (int8: `W_ih` and `W_hh`
    /// quantised now, for inference only); `self` if it already has it.
    func withWeightPrecision(_ precision: WeightPrecision, path: Int8Matrix.KernelPath) -> any RecurrentDirection
}

/// A direction's saved state and scratch between its `forward` and `backward` (`LSTM.Workspace`,
/// `GRU.Workspace`); caller-owned, one per forward/backward at a time.
public protocol RecurrentWorkspace: AnyObject, Sendable {
    /// Makes room for batches of up to `rows` (`T·B`) rows and `batchSize` sequences.
    func reserve(rows: Int, batchSize: Int)
    /// The state after each sequence's last step in the last `forward` (`(B, H)` each; a GRU's `cell` is
    /// empty).
    var finalState: LSTMState { get }
}

extension RecurrentDirection {
    /// `forward` with contiguous rows (strides `I` and `H`) from the zero state.
    public func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, shape: SequenceBatchShape,
        workspace: any RecurrentWorkspace
    ) {
        forward(
            input: input, inputStride: nil, output: output, outputStride: nil, shape: shape, workspace: workspace,
            initialState: nil)
    }
}

extension LSTM.Direction {
    /// The time step processed `step` steps after the first (`0 ≤ step < T`).
    @inline(__always)
    func time(ofStep step: Int, timeSteps: Int) -> Int {
        self == .forward ? step : timeSteps - 1 - step
    }

    /// The step whose state step `t` starts from, or `nil` for the first step.
    @inline(__always)
    func previousTime(of t: Int, timeSteps: Int) -> Int? {
        switch self {
        case .forward: return t > 0 ? t - 1 : nil
        case .reverse: return t < timeSteps - 1 ? t + 1 : nil
        }
    }
}
