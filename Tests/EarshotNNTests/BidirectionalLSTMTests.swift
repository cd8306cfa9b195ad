import Testing

@testable import EarshotNN

/// The cells a stack can run, for tests that hold for each.
enum CellVariant: String, CaseIterable, Sendable {
    case lstm, peepholes, gru

    var cell: RecurrentCell { self == .gru ? .gru : .lstm }
}

@Suite struct BidirectionalLSTMTests {
    init() { pinOpenBLASToOneThread() }

    static func make(
        inputSize: Int = 3, hiddenSize: Int = 4, layers: Int = 2, dropout: Float = 0, seed: UInt64 = 1,
        cell: CellVariant = .lstm
    ) -> BidirectionalLSTM {
        var generator = SeededGenerator(seed: seed)
        let configuration = BidirectionalLSTM.Configuration(
            inputSize: inputSize, hiddenSize: hiddenSize, layerCount: layers, dropout: dropout, cell: cell.cell,
            peepholes: cell == .peepholes)
        return BidirectionalLSTM(configuration: configuration, generator: &generator)
    }

    /// The stack — two layers, dropout between them in training mode, padded batch — against central
    /// finite differences (`checkAgainstFiniteDifferences`), for every cell.
    @Test(arguments: BidirectionalLSTM.Schedule.allCases, CellVariant.allCases)
    func stackMatchesFiniteDifferences(_ schedule: BidirectionalLSTM.Schedule, _ cell: CellVariant) {
        let lstm = Self.make(dropout: 0.3, seed: 2, cell: cell)
        Self.checkAgainstFiniteDifferences(
            lstm, shape: SequenceBatchShape(timeSteps: 4, lengths: [3, 4]), seed: 3, schedule: schedule)
    }

    /// Runs `lstm` in training mode (the dropout masks fixed by resetting the dropout generator before
    /// every forward) on random input of `shape` and checks its backward against central finite
    /// differences (ε, tolerance and their reasons: `GradientCheck`): a sample of every parameter, and the
    /// input.
    static func checkAgainstFiniteDifferences(
        _ lstm: BidirectionalLSTM, shape: SequenceBatchShape, seed: UInt64, latencyControl: LatencyControl? = nil,
        samplesPerParameter: Int = 24, schedule: BidirectionalLSTM.Schedule = .concurrentDirections
    ) {
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        workspace.schedule = schedule
        workspace.dropoutGenerator = SeededGenerator(seed: seed)
        let generatorState = workspace.dropoutGenerator
        var random = SeededRandom(seed: seed)
        var x = random.floats(shape.rowCount * lstm.configuration.inputSize)
        let g = random.floats(shape.rowCount * lstm.configuration.outputSize)
        func output(_ x: [Float]) -> [Float] {
            workspace.dropoutGenerator = generatorState
            return lstm.forward(x, shape: shape, workspace: workspace, latencyControl: latencyControl, training: true)
        }
        for p in lstm.parameters { p.zeroGradient() }
        _ = output(x)
        let dx = lstm.backward(x, outputGradient: g, workspace: workspace)
        let loss = { GradientCheck.dot(g, output(x)) }
        for p in lstm.parameters { GradientCheck.check(p, limit: samplesPerParameter, loss: loss) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: { GradientCheck.dot(g, output(x)) })
    }

    /// Padding in the input and in the upstream gradient changes no output and no gradient, bit for bit.
    @Test(arguments: CellVariant.allCases)
    func paddingChangesNothing(_ cell: CellVariant) {
        let lstm = Self.make(hiddenSize: 6, layers: 3, seed: 4, cell: cell)
        let shape = SequenceBatchShape(timeSteps: 5, lengths: [2, 5, 0])
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        var random = SeededRandom(seed: 5)
        let x = random.floats(shape.rowCount * 3)
        let g = random.floats(shape.rowCount * 12)
        func run(_ x: [Float], _ g: [Float]) -> (y: [Float], dx: [Float], grads: [[Float]]) {
            for p in lstm.parameters { p.zeroGradient() }
            let y = lstm.forward(x, shape: shape, workspace: workspace)
            let dx = lstm.backward(x, outputGradient: g, workspace: workspace)
            return (y, dx, lstm.parameters.map(\.gradient))
        }
        let clean = run(x, g)
        var x2 = x
        var g2 = g
        for t in 0..<5 {
            for b in 0..<3 where t >= shape.lengths[b] {
                for i in 0..<3 { x2[(t * 3 + b) * 3 + i] = 123 }
                for j in 0..<12 { g2[(t * 3 + b) * 12 + j] = -9 }
            }
        }
        let noisy = run(x2, g2)
        #expect(clean.y == noisy.y)
        #expect(clean.dx == noisy.dx)
        #expect(clean.grads == noisy.grads)
        for t in 0..<5 {
            for b in 0..<3 where t >= shape.lengths[b] {
                #expect(clean.y[((t * 3 + b) * 12)..<((t * 3 + b + 1) * 12)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// A sequence in a padded batch (lengths [T, 3]) gives what it gives alone with T = 3.
    @Test func paddedSequenceEqualsSequenceAlone() {
        let lstm = Self.make(hiddenSize: 7, layers: 2, seed: 6)
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        var random = SeededRandom(seed: 7)
        let x = random.floats(6 * 2 * 3)
        let together = lstm.forward(x, shape: SequenceBatchShape(timeSteps: 6, lengths: [6, 3]), workspace: workspace)
        let alone = lstm.forward(
            rows([1, 3, 5], of: x, width: 3), shape: SequenceBatchShape(timeSteps: 3, lengths: [3]),
            workspace: workspace)
        expectClose(rows([1, 3, 5], of: together, width: 14), alone, tolerance: 1e-6, "sequence 1")
    }

    /// Dropout: identity when not training (and when p = 0), a fresh mask per training forward, and a
    /// training forward with p > 0 differs from inference.
    @Test func dropoutOnlyInTraining() {
        let shape = SequenceBatchShape(timeSteps: 4, lengths: [4, 4])
        var random = SeededRandom(seed: 8)
        let x = random.floats(shape.rowCount * 3)
        let withDropout = Self.make(dropout: 0.5, seed: 9)
        let without = Self.make(dropout: 0, seed: 9)
        let workspace = BidirectionalLSTM.Workspace(configuration: withDropout.configuration)
        let inference = withDropout.forward(x, shape: shape, workspace: workspace)
        #expect(
            without.forward(
                x, shape: shape, workspace: BidirectionalLSTM.Workspace(configuration: without.configuration),
                training: true)
                == inference)
        let first = withDropout.forward(x, shape: shape, workspace: workspace, training: true)
        let second = withDropout.forward(x, shape: shape, workspace: workspace, training: true)
        #expect(first != inference)
        #expect(first != second)
        #expect(withDropout.forward(x, shape: shape, workspace: workspace) == inference)
    }

    /// Names and order are `torch.nn.LSTM`'s; loading finds parameters by name and rejects a wrong shape
    /// or a missing one.
    @Test func parametersAreNamedLikePyTorch() throws {
        let lstm = Self.make(inputSize: 10, hiddenSize: 4, layers: 2)
        let names = lstm.parameters.map(\.name)
        #expect(
            names.prefix(8) == [
                "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse",
                "lstm.bias_hh_l0_reverse",
            ])
        #expect(lstm.parameters.count == 16)
        #expect(lstm.parameters[8].shape == [16, 8])  // weight_ih_l1: (4H, 2H)
        var dictionary = Dictionary(uniqueKeysWithValues: lstm.parameters.map { ($0.name, $0) })
        let loaded = try BidirectionalLSTM(configuration: lstm.configuration, parameters: dictionary)
        #expect(loaded.parameters.map(\.name) == names)
        #expect(loaded.layers[1].reverse.weightHidden === lstm.layers[1].reverse.weightHidden)
        dictionary["lstm.bias_hh_l1_reverse"] = Parameter(name: "lstm.bias_hh_l1_reverse", shape: [15])
        #expect(
            throws: BidirectionalLSTM.ParameterError.shape(name: "lstm.bias_hh_l1_reverse", found: [15], expected: [16])
        ) {
            try BidirectionalLSTM(configuration: lstm.configuration, parameters: dictionary)
        }
        dictionary["lstm.weight_ih_l0"] = nil
        #expect(throws: BidirectionalLSTM.ParameterError.missing(name: "lstm.weight_ih_l0")) {
            try BidirectionalLSTM(configuration: lstm.configuration, parameters: dictionary)
        }
    }

    /// Streaming through the stack: a chunk's forward-direction final states fed as the next chunk's
    /// initial states reproduce the first layer's forward half of a whole run (the reverse halves and
    /// upper layers see only their chunk, by design, so only layer 0's forward half can match).
    @Test(arguments: CellVariant.allCases)
    func initialStatesCarryTheForwardDirection(_ cell: CellVariant) {
        let lstm = Self.make(inputSize: 3, hiddenSize: 5, layers: 1, seed: 10, cell: cell)
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        var random = SeededRandom(seed: 11)
        let x = random.floats(6 * 3)
        let whole = lstm.forward(x, shape: SequenceBatchShape(timeSteps: 6, lengths: [6]), workspace: workspace)
        let first = lstm.forward(
            Array(x[0..<9]), shape: SequenceBatchShape(timeSteps: 3, lengths: [3]), workspace: workspace)
        let state = workspace.finalState(layer: 0, direction: 0)
        let second = lstm.forward(
            Array(x[9...]), shape: SequenceBatchShape(timeSteps: 3, lengths: [3]), workspace: workspace,
            initialStates: [state])
        let forwardHalf = { (y: [Float]) in (0..<(y.count / 10)).flatMap { Array(y[($0 * 10)..<($0 * 10 + 5)]) } }
        expectClose(forwardHalf(first) + forwardHalf(second), forwardHalf(whole), tolerance: 1e-6, "forward half")
    }

    /// Degenerate batches: no steps, no sequences, only empty sequences — nothing crashes, outputs and
    /// gradients are empty or zero.
    @Test func emptyBatches() {
        let lstm = Self.make(seed: 12)
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        for p in lstm.parameters { p.zeroGradient() }
        #expect(
            lstm.forward([], shape: SequenceBatchShape(timeSteps: 0, lengths: [0, 0]), workspace: workspace).isEmpty)
        #expect(lstm.backward([], outputGradient: [], workspace: workspace).isEmpty)
        #expect(lstm.forward([], shape: SequenceBatchShape(timeSteps: 3, lengths: []), workspace: workspace).isEmpty)
        let shape = SequenceBatchShape(timeSteps: 2, lengths: [0, 0])
        let x = [Float](repeating: 1, count: shape.rowCount * 3)
        #expect(lstm.forward(x, shape: shape, workspace: workspace).allSatisfy { $0 == 0 })
        let dx = lstm.backward(
            x, outputGradient: [Float](repeating: 1, count: shape.rowCount * 8), workspace: workspace)
        #expect(dx.count == x.count && dx.allSatisfy { $0 == 0 })
        #expect(lstm.parameters.allSatisfy { $0.gradient.allSatisfy { $0 == 0 } })
    }
}
