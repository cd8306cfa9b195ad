/// One direction of one LSTM layer, PyTorch's `nn.LSTM` cell run over a padded batch of sequences.
///
/// Per valid step `t` of sequence `b`, with `x` the input row and `h`, `c` the state carried from the
/// previous step in this direction's order (zero at the sequence's first step, or a streaming chunk's
/// carried state — `forward`'s `initialState`):
///
///     a = W_ih·x + b_ih + W_hh·h + b_hh          (4H) pre-activations, PyTorch's gate order:
///     i = σ(a[0..<H])    f = σ(a[H..<2H])        input and forget gates
///     g = tanh(a[2H..<3H])  o = σ(a[3H..<4H])   cell candidate and output gate
///     c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')   new state; h' is also the output at t
///
/// With peephole connections (`peepholes`; Gers & Schmidhuber 2000, Graves 2013 — PyTorch has none) the
/// gates also see the cell state through diagonal weights `w_ci`, `w_cf`, `w_co` `(H)` each:
///
///     i = σ(a[0..<H] + w_ci ⊙ c)    f = σ(a[H..<2H] + w_cf ⊙ c)    (c: the state entering the step)
///     o = σ(a[3H..<4H] + w_co ⊙ c')                                (c': the new state)
///
/// The `.forward` direction runs `t = 0 … T−1`; `.reverse` runs `t = T−1 … 0`, sequence `b` starting at
/// its own last frame `lengths[b] − 1` with zero state. At padded steps the state and the output are
/// zero and nothing is computed from the input, so padding never reaches outputs or gradients
/// (`SequenceBatchShape`).
///
/// Parameters, PyTorch layout and state-dict names (`<prefix>weight_ih_l<k>[_reverse]`, …):
/// - `weightInput`  `weight_ih (4H, I)`   rows grouped i, f, g, o;
/// - `weightHidden` `weight_hh (4H, H)`;
/// - `biasInput`    `bias_ih (4H)`;
/// - `biasHidden`   `bias_hh (4H)`;
/// - with peepholes, `peepholes.input/forget/output` `weight_ci`, `weight_cf`, `weight_co` `(H)` each.
///
/// How the work is laid out (LSTM+Forward.swift, LSTM+Backward.swift): the input projection of all
/// `T·B` rows is one `sgemm`; each step then adds `h·W_hhᵀ` (active rows only, in 64-column products,
/// see `forward`) and runs one fused SIMD kernel for the gates and the state (LSTM+Kernels.swift).
/// Backward is full BPTT over the saved gates and cells, with `dW_ih`, `dW_hh` and `dX` each one
/// `sgemm` over all steps (measured: one `dW_hh` product at the end is ~15 % faster than one per step).
/// Everything saved lives in a caller-owned `LSTM.Workspace`, allocated once per batch shape; nothing
/// is allocated inside the time loop.
public final class LSTM: Sendable {
    /// The order in which a direction walks time.
    public enum Direction: String, Codable, Sendable, CaseIterable {
        /// `t = 0, 1, …, T − 1`.
        case forward
        /// `t = T − 1, …, 0`; each sequence starts at its own last valid frame.
        case reverse
    }

    /// `I`, values per input row.
    public let inputSize: Int
    /// `H`, hidden units (values per output row).
    public let hiddenSize: Int
    public let direction: Direction
    /// `weight_ih (4H, I)`.
    public let weightInput: Parameter
    /// `weight_hh (4H, H)`.
    public let weightHidden: Parameter
    /// `bias_ih (4H)`.
    public let biasInput: Parameter
    /// `bias_hh (4H)`.
    public let biasHidden: Parameter
    /// `W_ih` and `W_hh` as 8-bit integers, for inference (`quantizedForInference`); when present,
    /// `forward` runs the int8 path (LSTM+Int8.swift) and `backward` is unavailable.
    public let quantizedWeights: QuantizedWeights?
    /// The peephole weights, or `nil` for PyTorch's LSTM (whose numerics are then unchanged by their
    /// existence: the kernels without peepholes are separate). The int8 path keeps them in float32.
    public let peepholes: Peepholes?

    /// The diagonal peephole weights `(H)` each: `w_ci` into the input gate and `w_cf` into the forget
    /// gate from the state entering the step, `w_co` into the output gate from the new state.
    public struct Peepholes: Sendable {
        /// `weight_ci (H)`.
        public let input: Parameter
        /// `weight_cf (H)`.
        public let forget: Parameter
        /// `weight_co (H)`.
        public let output: Parameter

        public init(input: Parameter, forget: Parameter, output: Parameter) {
            self.input = input
            self.forget = forget
            self.output = output
        }

        /// `[input, forget, output]`, the state-dict order.
        public var parameters: [Parameter] { [input, forget, output] }
    }

    /// A direction initialised as PyTorch does — every parameter from U(−1/√H, 1/√H), drawn in the
    /// order weight_ih, weight_hh, bias_ih, bias_hh — except the forget gate's bias, which starts at 1
    /// (Jozefowicz et al. 2015: gradients flow through the cell from the first updates): all of it in
    /// `bias_ih[H..<2H] = 1`, and `bias_hh[H..<2H] = 0`, so the sum the cell sees is exactly 1. With
    /// `peepholes`, `w_ci`, `w_cf`, `w_co` are drawn from the same law after the biases (so the other
    /// parameters are the same as without).
    ///
    /// - Parameters:
    ///   - prefix: state-dict prefix including the dot, e.g. `"lstm."`.
    ///   - layer: the layer index `k` in the names (`weight_ih_l<k>`).
    public convenience init(
        inputSize: Int, hiddenSize: Int, direction: Direction, peepholes: Bool = false, prefix: String = "lstm.",
        layer: Int = 0, generator: inout SeededGenerator
    ) {
        precondition(inputSize > 0 && hiddenSize > 0, "LSTM(\(inputSize) → \(hiddenSize))")
        let names = Self.parameterNames(prefix: prefix, layer: layer, direction: direction)
        let bound = 1 / Float(hiddenSize).squareRoot()
        let h = hiddenSize
        func draw(_ name: String, _ shape: [Int]) -> Parameter {
            Initialization.uniformParameter(name: name, shape: shape, bound: bound, generator: &generator)
        }
        let weightInput = draw(names.weightInput, [4 * h, inputSize])
        let weightHidden = draw(names.weightHidden, [4 * h, h])
        let biasInput = draw(names.biasInput, [4 * h])
        let biasHidden = draw(names.biasHidden, [4 * h])
        for j in h..<(2 * h) {
            biasInput.value[j] = 1
            biasHidden.value[j] = 0
        }
        var peepholeWeights: Peepholes?
        if peepholes {
            let names = Self.peepholeNames(prefix: prefix, layer: layer, direction: direction)
            peepholeWeights = Peepholes(
                input: draw(names.input, [h]), forget: draw(names.forget, [h]), output: draw(names.output, [h]))
        }
        self.init(
            weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput, biasHidden: biasHidden,
            direction: direction, peepholes: peepholeWeights)
    }

    /// A direction over existing parameters (e.g. loaded from a model file); shapes are checked.
    public init(
        weightInput: Parameter, weightHidden: Parameter, biasInput: Parameter, biasHidden: Parameter,
        direction: Direction, peepholes: Peepholes? = nil, quantizedWeights: QuantizedWeights? = nil
    ) {
        precondition(
            weightHidden.shape.count == 2 && weightHidden.shape[0] == 4 * weightHidden.shape[1],
            "\(weightHidden.name): shape \(weightHidden.shape) is not (4H, H)")
        let h = weightHidden.shape[1]
        precondition(
            weightInput.shape.count == 2 && weightInput.shape[0] == 4 * h,
            "\(weightInput.name): shape \(weightInput.shape) is not (4H, I) with H = \(h)")
        precondition(biasInput.shape == [4 * h], "\(biasInput.name): shape \(biasInput.shape), expected [\(4 * h)]")
        precondition(biasHidden.shape == [4 * h], "\(biasHidden.name): shape \(biasHidden.shape), expected [\(4 * h)]")
        self.inputSize = weightInput.shape[1]
        self.hiddenSize = h
        self.direction = direction
        self.weightInput = weightInput
        self.weightHidden = weightHidden
        self.biasInput = biasInput
        self.biasHidden = biasHidden
        if let peepholes {
            for p in peepholes.parameters {
                precondition(p.shape == [h], "\(p.name): shape \(p.shape), expected [\(h)]")
            }
        }
        self.peepholes = peepholes
        self.quantizedWeights = quantizedWeights
    }

    /// The parameters in PyTorch's state-dict order: weight_ih, weight_hh, bias_ih, bias_hh, then the
    /// peepholes weight_ci, weight_cf, weight_co if any.
    public var parameters: [Parameter] {
        [weightInput, weightHidden, biasInput, biasHidden] + (peepholes?.parameters ?? [])
    }

    /// PyTorch's state-dict names of one direction of layer `layer`, e.g. `lstm.weight_hh_l2_reverse`.
    public static func parameterNames(prefix: String, layer: Int, direction: Direction)
        -> (weightInput: String, weightHidden: String, biasInput: String, biasHidden: String)
    {
        let suffix = "_l\(layer)" + (direction == .reverse ? "_reverse" : "")
        return (
            prefix + "weight_ih" + suffix, prefix + "weight_hh" + suffix,
            prefix + "bias_ih" + suffix, prefix + "bias_hh" + suffix
        )
    }

    /// The state-dict names of one direction's peephole weights, e.g. `lstm.weight_ci_l2_reverse`.
    public static func peepholeNames(prefix: String, layer: Int, direction: Direction)
        -> (input: String, forget: String, output: String)
    {
        let suffix = "_l\(layer)" + (direction == .reverse ? "_reverse" : "")
        return (prefix + "weight_ci" + suffix, prefix + "weight_cf" + suffix, prefix + "weight_co" + suffix)
    }

    /// The time step processed `step` steps after the first (`0 ≤ step < T`).
    @inline(__always)
    func time(ofStep step: Int, timeSteps: Int) -> Int { direction.time(ofStep: step, timeSteps: timeSteps) }

    /// The step whose state step `t` starts from, or `nil` for the first step.
    @inline(__always)
    func previousTime(of t: Int, timeSteps: Int) -> Int? { direction.previousTime(of: t, timeSteps: timeSteps) }
}
