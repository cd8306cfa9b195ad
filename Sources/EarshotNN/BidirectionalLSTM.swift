import Dispatch

/// A stack of bidirectional recurrent layers, the body of Earshot's acoustic model; the same network and
/// parameter names as `torch.nn.LSTM(inputSize, H, num_layers: N, bidirectional: True)`, or
/// `torch.nn.GRU(…)` with `configuration.cell == .gru` (`RecurrentCell`), or an LSTM with peephole
/// connections (`configuration.peepholes`, which PyTorch does not have).
///
/// Layer `k` runs a forward and a reverse direction of its cell (`LSTM` or `GRU`, through
/// `RecurrentDirection`) over the same input and concatenates their outputs,
/// `[h_fwd, h_rev]` (2H per step); layer 0 reads the model input `(T, B, I)`, layer `k > 0` reads layer
/// `k − 1`'s `(T, B, 2H)` output, through inverted dropout when training. Shapes are `(T, B, F)`
/// time-major with a `SequenceBatchShape` (padding is zero in every output and ignored in gradients).
///
/// Parameters, in state-dict order per layer `k`: `<prefix>weight_ih_l<k>`, `weight_hh_l<k>`,
/// `bias_ih_l<k>`, `bias_hh_l<k>` (first dimension `G·H`, `G = cell.gateCount`), with peepholes
/// `weight_ci_l<k>`, `weight_cf_l<k>`, `weight_co_l<k>` (`H` each), then the same with `_reverse`.
///
/// The two directions of a layer are independent, so by default they run at the same time on two
/// threads, OpenBLAS set to one thread each (`Schedule.concurrentDirections`, the workspace's
/// `schedule`); `.sequential` runs them one after the other with whatever thread count OpenBLAS has. Measured on the reference model (3
/// layers of 256, input 240, 333 steps; 2 cores; Scripts/bench/lstm.sh), concurrent vs sequential with
/// 2 OpenBLAS threads: training step (batch 16) 507 vs 631 ms, inference (batch 16) 155 vs 237 ms. A
/// layer's two directions do the same work, so neither thread waits long for the other.
///
/// OpenBLAS's thread count is process-wide: while a concurrent forward or backward runs, every other
/// OpenBLAS call in the process runs single-threaded too. Programs that use the concurrent schedule
/// best set `BLASRuntime.threads = 1` once at start (then nothing is switched at all).
///
/// Weights live here and are never changed by running the network: training mode is an argument of
/// `forward`, and the schedule and the dropout generator are state of the caller-owned `Workspace`,
/// so one stack is shared by any number of threads (`Sendable`, checked by the compiler down to
/// `Parameter`, whose values only an optimizer changes).
public final class BidirectionalLSTM: Sendable {
    /// The network's sizes; stored with the model.
    public struct Configuration: Codable, Equatable, Sendable {
        /// `I`, values per input step (240: 3 stacked 80-bin frames, by default in Earshot).
        public var inputSize: Int
        /// `H`, units per direction (the output has 2H per step).
        public var hiddenSize: Int
        /// `N`, bidirectional layers.
        public var layerCount: Int
        /// Probability of zeroing a value between layers while training (PyTorch's `dropout`: after every
        /// layer but the last). 0 disables it.
        public var dropout: Float
        /// The recurrent cell of every layer. Default `.lstm`.
        public var cell: RecurrentCell
        /// Whether the LSTM cells have peephole connections (`LSTM.Peepholes`); LSTM only. Default false.
        public var peepholes: Bool

        public init(
            inputSize: Int, hiddenSize: Int, layerCount: Int, dropout: Float = 0, cell: RecurrentCell = .lstm,
            peepholes: Bool = false
        ) {
            self.inputSize = inputSize
            self.hiddenSize = hiddenSize
            self.layerCount = layerCount
            self.dropout = dropout
            self.cell = cell
            self.peepholes = peepholes
        }

        /// Rows of every weight and bias per hidden unit: `cell.gateCount`.
        public var gateCount: Int { cell.gateCount }

        /// Values per output step: `2H`.
        public var outputSize: Int { 2 * hiddenSize }

        /// Values per input step of layer `k`: `I` for the first, `2H` after.
        public func inputSize(ofLayer k: Int) -> Int { k == 0 ? inputSize : 2 * hiddenSize }
    }

    /// How a layer's two directions share the machine.
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        /// Both directions at once on two threads (`DispatchQueue.concurrentPerform`), OpenBLAS set to
        /// 1 thread for the duration (and restored after). The default.
        case concurrentDirections
        /// One direction after the other, OpenBLAS with its current thread count (`BLASRuntime.threads`):
        /// threaded BLAS when that is > 1, a single core when it is 1.
        case sequential
    }

    /// One bidirectional layer.
    public struct Layer: Sendable {
        public let forward: any RecurrentDirection
        public let reverse: any RecurrentDirection

        /// `forward` for 0, `reverse` for 1.
        public subscript(direction: Int) -> any RecurrentDirection { direction == 0 ? forward : reverse }
    }

    /// Parameters missing from or misshapen in a state dict.
    public enum ParameterError: Error, Equatable, CustomStringConvertible {
        case missing(name: String)
        case shape(name: String, found: [Int], expected: [Int])

        public var description: String {
            switch self {
            case .missing(let name): return "parameter \(name) is missing"
            case .shape(let name, let found, let expected):
                return "parameter \(name) has shape \(found), expected \(expected)"
            }
        }
    }

    public let configuration: Configuration
    /// `configuration.layerCount` layers, input first.
    public let layers: [Layer]

    /// A freshly initialised stack (`LSTM.init` or `GRU.init` per direction, drawn layer by layer, forward
    /// direction first, from `generator`).
    public init(configuration: Configuration, prefix: String = "lstm.", generator: inout SeededGenerator) {
        precondition(configuration.layerCount > 0, "a BidirectionalLSTM needs at least one layer")
        precondition(configuration.dropout >= 0 && configuration.dropout < 1, "dropout must be in [0, 1)")
        precondition(!configuration.peepholes || configuration.cell == .lstm, "peepholes are for the LSTM cell only")
        self.configuration = configuration
        var layers: [Layer] = []
        for k in 0..<configuration.layerCount {
            let inputSize = configuration.inputSize(ofLayer: k)
            var pair: [any RecurrentDirection] = []
            for direction in LSTM.Direction.allCases {
                switch configuration.cell {
                case .lstm:
                    pair.append(
                        LSTM(
                            inputSize: inputSize, hiddenSize: configuration.hiddenSize, direction: direction,
                            peepholes: configuration.peepholes, prefix: prefix, layer: k, generator: &generator))
                case .gru:
                    pair.append(
                        GRU(
                            inputSize: inputSize, hiddenSize: configuration.hiddenSize, direction: direction,
                            prefix: prefix, layer: k, generator: &generator))
                }
            }
            layers.append(Layer(forward: pair[0], reverse: pair[1]))
        }
        self.layers = layers
    }

    /// A stack over existing parameters, looked up by their state-dict names under `prefix` (e.g. from a
    /// model file); throws if one is missing or has the wrong shape.
    public init(
        configuration: Configuration, prefix: String = "lstm.", parameters: [String: Parameter]
    ) throws {
        precondition(configuration.layerCount > 0, "a BidirectionalLSTM needs at least one layer")
        precondition(!configuration.peepholes || configuration.cell == .lstm, "peepholes are for the LSTM cell only")
        self.configuration = configuration
        let h = configuration.hiddenSize, g = configuration.gateCount * configuration.hiddenSize
        func find(_ name: String, _ shape: [Int]) throws -> Parameter {
            guard let parameter = parameters[name] else { throw ParameterError.missing(name: name) }
            guard parameter.shape == shape else {
                throw ParameterError.shape(name: name, found: parameter.shape, expected: shape)
            }
            return parameter
        }
        var layers: [Layer] = []
        for k in 0..<configuration.layerCount {
            let inputSize = configuration.inputSize(ofLayer: k)
            var pair: [any RecurrentDirection] = []
            for direction in LSTM.Direction.allCases {
                let names = LSTM.parameterNames(prefix: prefix, layer: k, direction: direction)
                let weightInput = try find(names.weightInput, [g, inputSize])
                let weightHidden = try find(names.weightHidden, [g, h])
                let biasInput = try find(names.biasInput, [g])
                let biasHidden = try find(names.biasHidden, [g])
                switch configuration.cell {
                case .lstm:
                    var peepholes: LSTM.Peepholes?
                    if configuration.peepholes {
                        let names = LSTM.peepholeNames(prefix: prefix, layer: k, direction: direction)
                        peepholes = LSTM.Peepholes(
                            input: try find(names.input, [h]), forget: try find(names.forget, [h]),
                            output: try find(names.output, [h]))
                    }
                    pair.append(
                        LSTM(
                            weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput,
                            biasHidden: biasHidden, direction: direction, peepholes: peepholes))
                case .gru:
                    pair.append(
                        GRU(
                            weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput,
                            biasHidden: biasHidden, direction: direction))
                }
            }
            layers.append(Layer(forward: pair[0], reverse: pair[1]))
        }
        self.layers = layers
    }

    /// A stack of existing layers.
    init(configuration: Configuration, layers: [Layer]) {
        self.configuration = configuration
        self.layers = layers
    }

    /// Every parameter in `torch.nn.LSTM`'s (`nn.GRU`'s) state-dict order, peepholes after each direction's
    /// biases.
    public var parameters: [Parameter] { layers.flatMap { $0.forward.parameters + $0.reverse.parameters } }

    /// Whether dropout changes anything in training mode.
    var hasDropout: Bool { configuration.dropout > 0 && configuration.layerCount > 1 }

    /// Runs `body(0)` and `body(1)` — the two directions, or two halves of a batch — as `schedule` says.
    func forBothDirections(_ schedule: Schedule, _ body: (Int) -> Void) {
        switch schedule {
        case .concurrentDirections:
            // The two calls touch disjoint buffers and parameters (each direction, or each half of the
            // rows, has its own), which is what makes sharing `body` across threads safe.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: 2) { body($0) }
        case .sequential:
            body(0)
            body(1)
        }
    }

    /// Runs `body` with OpenBLAS at one thread if `schedule` is concurrent, restoring the previous
    /// count afterwards.
    func withScheduleThreads<R>(_ schedule: Schedule, _ body: () -> R) -> R {
        guard schedule == .concurrentDirections else { return body() }
        let previous = BLASRuntime.threads
        if previous != 1 { BLASRuntime.threads = 1 }
        defer { if previous != 1 { BLASRuntime.threads = previous } }
        return body()
    }
}

extension BidirectionalLSTM {
    /// The same stack over the same parameters with every direction's weight matrices quantised to int8
    /// (`LSTM.quantizedForInference`, `GRU.quantizedForInference`): for inference only.
    public func quantizedForInference(path: Int8Matrix.KernelPath = .best) -> BidirectionalLSTM {
        BidirectionalLSTM(
            configuration: configuration,
            layers: layers.map {
                Layer(
                    forward: $0.forward.withWeightPrecision(.int8, path: path),
                    reverse: $0.reverse.withWeightPrecision(.int8, path: path))
            })
    }

    /// The same stack over the same parameters with weights of `precision`: int8 copies made now
    /// (`quantizedForInference`), or the float32 parameters themselves; `self` if it already has it.
    public func withWeightPrecision(_ precision: WeightPrecision, path: Int8Matrix.KernelPath = .best)
        -> BidirectionalLSTM
    {
        let converted = layers.map {
            Layer(
                forward: $0.forward.withWeightPrecision(precision, path: path),
                reverse: $0.reverse.withWeightPrecision(precision, path: path))
        }
        let changed = zip(converted, layers).contains { $0.forward !== $1.forward || $0.reverse !== $1.reverse }
        return changed ? BidirectionalLSTM(configuration: configuration, layers: converted) : self
    }

    /// The precision of the weights `forward` multiplies with.
    public var weightPrecision: WeightPrecision { layers[0].forward.weightPrecision }
}
