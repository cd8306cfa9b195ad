/// One direction of one GRU layer, PyTorch's `nn.GRU` cell run over a padded batch of sequences.
///
/// Per valid step `t` of sequence `b`, with `x` the input row and `h` the state carried from the previous
/// step in this direction's order (zero at the sequence's first step, or a streaming chunk's carried
/// state — `forward`'s `initialState`):
///
///     r = σ(W_ir·x + b_ir + W_hr·h + b_hr)              reset gate      (rows 0..<H)
///     z = σ(W_iz·x + b_iz + W_hz·h + b_hz)              update gate     (rows H..<2H)
///     n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))     candidate       (rows 2H..<3H)
///     h' = (1 − z) ⊙ n + z ⊙ h                          new state, also the output at t
///
/// exactly PyTorch's equations, gate order and reset-gate convention (the reset gate scales the hidden
/// product after its bias, not the state before it). Directions and padding as in `LSTM`: `.reverse` runs
/// `t = T−1 … 0` from each sequence's own last frame; padded steps output zero and take no gradient.
///
/// Parameters, PyTorch layout and the LSTM's state-dict names (`<prefix>weight_ih_l<k>[_reverse]`, …):
/// - `weightInput`  `weight_ih (3H, I)`   rows grouped r, z, n;
/// - `weightHidden` `weight_hh (3H, H)`;
/// - `biasInput`    `bias_ih (3H)`;
/// - `biasHidden`   `bias_hh (3H)`.
///
/// How the work is laid out, as in `LSTM` (GRU+Forward.swift, GRU+Backward.swift): the input projection of
/// all `T·B` rows is one `sgemm` into `(T·B, 3H)`; each step writes `h·W_hhᵀ` of its active rows into a
/// second `(T·B, 3H)` buffer (the reset gate needs the hidden part of `n` apart) and runs one fused SIMD
/// kernel (GRU+Kernels.swift). Backward is full BPTT over the saved gates, with `dW_ih`, `dW_hh` and `dX`
/// each one `sgemm` over all steps. Everything lives in a caller-owned `GRU.Workspace`; nothing is
/// allocated inside the time loop. Inference can run with int8 weights (GRU+Int8.swift), as the LSTM's.
public final class GRU: Sendable {
    /// `I`, values per input row.
    public let inputSize: Int
    /// `H`, hidden units (values per output row).
    public let hiddenSize: Int
    public let direction: LSTM.Direction
    /// `weight_ih (3H, I)`.
    public let weightInput: Parameter
    /// `weight_hh (3H, H)`.
    public let weightHidden: Parameter
    /// `bias_ih (3H)`.
    public let biasInput: Parameter
    /// `bias_hh (3H)`.
    public let biasHidden: Parameter
    /// `W_ih` and `W_hh` as 8-bit integers, for inference (`quantizedForInference`); when present, `forward`
    /// runs the int8 path (GRU+Int8.swift) and `backward` is unavailable.
    public let quantizedWeights: LSTM.QuantizedWeights?

    /// A direction initialised as PyTorch does: every parameter from U(−1/√H, 1/√H), drawn in the order
    /// weight_ih, weight_hh, bias_ih, bias_hh (no special bias: PyTorch's GRU has none).
    ///
    /// - Parameters:
    ///   - prefix: state-dict prefix including the dot, e.g. `"lstm."`.
    ///   - layer: the layer index `k` in the names (`weight_ih_l<k>`).
    public convenience init(
        inputSize: Int, hiddenSize: Int, direction: LSTM.Direction, prefix: String = "lstm.", layer: Int = 0,
        generator: inout SeededGenerator
    ) {
        precondition(inputSize > 0 && hiddenSize > 0, "GRU(\(inputSize) → \(hiddenSize))")
        let names = LSTM.parameterNames(prefix: prefix, layer: layer, direction: direction)
        let bound = 1 / Float(hiddenSize).squareRoot()
        let h = hiddenSize
        func draw(_ name: String, _ shape: [Int]) -> Parameter {
            Initialization.uniformParameter(name: name, shape: shape, bound: bound, generator: &generator)
        }
        self.init(
            weightInput: draw(names.weightInput, [3 * h, inputSize]),
            weightHidden: draw(names.weightHidden, [3 * h, h]),
            biasInput: draw(names.biasInput, [3 * h]), biasHidden: draw(names.biasHidden, [3 * h]),
            direction: direction)
    }

    /// A direction over existing parameters (e.g. loaded from a model file); shapes are checked.
    public init(
        weightInput: Parameter, weightHidden: Parameter, biasInput: Parameter, biasHidden: Parameter,
        direction: LSTM.Direction, quantizedWeights: LSTM.QuantizedWeights? = nil
    ) {
        precondition(
            weightHidden.shape.count == 2 && weightHidden.shape[0] == 3 * weightHidden.shape[1],
            "\(weightHidden.name): shape \(weightHidden.shape) is not (3H, H)")
        let h = weightHidden.shape[1]
        precondition(
            weightInput.shape.count == 2 && weightInput.shape[0] == 3 * h,
            "\(weightInput.name): shape \(weightInput.shape) is not (3H, I) with H = \(h)")
        precondition(biasInput.shape == [3 * h], "\(biasInput.name): shape \(biasInput.shape), expected [\(3 * h)]")
        precondition(biasHidden.shape == [3 * h], "\(biasHidden.name): shape \(biasHidden.shape), expected [\(3 * h)]")
        self.inputSize = weightInput.shape[1]
        self.hiddenSize = h
        self.direction = direction
        self.weightInput = weightInput
        self.weightHidden = weightHidden
        self.biasInput = biasInput
        self.biasHidden = biasHidden
        self.quantizedWeights = quantizedWeights
    }

    /// The parameters in PyTorch's state-dict order: weight_ih, weight_hh, bias_ih, bias_hh.
    public var parameters: [Parameter] { [weightInput, weightHidden, biasInput, biasHidden] }
}
